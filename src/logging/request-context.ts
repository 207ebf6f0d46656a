import { AsyncLocalStorage } from 'node:async_hooks';

/** What the code handling a request knows about it wherever it runs, for the logs. */
export interface RequestContext {
  reqId: string;
  /** The message the request stored (an inbound post, a send), named on its request line. */
  messageSid?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/**
 * Names the message the current request is about on its request line; the first one named
 * stays (a reply sent later from the same context is another message).
 */
export function noteRequestMessage(messageSid: string): void {
  const context = requestContext.getStore();
  if (context && context.messageSid === undefined) context.messageSid = messageSid;
}
