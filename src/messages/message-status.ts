import type { MessageStatus } from '../database/entities/message.entity';

/**
 * The statuses a message may move to from each status. A status never moves backwards; the
 * final ones move nowhere, except that a failed delivery to an application may still succeed
 * when a later attempt does.
 */
export const NEXT_STATUSES: Record<MessageStatus, readonly MessageStatus[]> = {
  queued: ['sent', 'failed'],
  sent: [],
  failed: [],
  received: ['delivered-to-app', 'failed-to-app'],
  'delivered-to-app': [],
  'failed-to-app': ['delivered-to-app'],
};

/** The statuses from which `to` may be reached. */
export function previousStatuses(to: MessageStatus): MessageStatus[] {
  return (Object.keys(NEXT_STATUSES) as MessageStatus[]).filter((from) => NEXT_STATUSES[from].includes(to));
}
