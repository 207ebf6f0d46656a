import { v7 } from 'uuid';

/**
 * A new sid or row id: a UUID whose first 48 bits are the time in milliseconds (version 7).
 * Rows stored one after another then sit next to each other in every index keyed by an id, so
 * that a commit rewrites a few pages instead of a page per row and per index; on SQLite that
 * halves the work of storing a message. Ids are not secrets: API key tokens and webhook secrets
 * come from `randomBytes`.
 */
export const newSid = (): string => v7();
