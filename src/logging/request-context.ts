/**
 * What the gateway knows about a request, for its log lines: set on the request by the request
 * logger, and handed by controllers to the services that log about the request.
 *
 * It is passed along explicitly rather than kept in an `AsyncLocalStorage`: on Node 20 that
 * enables async hooks for every promise of the process, which cost about a sixth of the gateway's
 * throughput.
 */
export interface RequestContext {
  reqId: string;
  /** The message the request stored (an inbound post, a send), named on its request line. */
  messageSid?: string;
}

const CONTEXT = Symbol('requestContext');

type WithContext = { [CONTEXT]?: RequestContext };

export function attachRequestContext(req: object, context: RequestContext): void {
  (req as WithContext)[CONTEXT] = context;
}

/** The context the request logger gave this request, if it went through it. */
export function requestContextOf(req: object | undefined): RequestContext | undefined {
  return req === undefined ? undefined : (req as WithContext)[CONTEXT];
}

/**
 * Names the message the request is about on its request line; the first one named stays (a
 * reply sent later for the same request is another message).
 */
export function noteRequestMessage(context: RequestContext | undefined, messageSid: string): void {
  if (context && context.messageSid === undefined) context.messageSid = messageSid;
}

/** A log line about a request: its text, and the request's id when there is one. */
export function withRequestId(
  context: RequestContext | undefined,
  msg: string,
): { msg: string; reqId?: string } {
  return context ? { msg, reqId: context.reqId } : { msg };
}
