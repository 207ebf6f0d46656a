import { AsyncLocalStorage } from 'node:async_hooks';

/** What the code handling a request knows about it wherever it runs: its id, for the logs. */
export interface RequestContext {
  reqId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
