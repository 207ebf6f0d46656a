import { hash, timingSafeEqual } from 'node:crypto';

// `hash` is the one-shot form of `createHash`: no Hash object per call, for what every request runs.
export const hashToken = (token: string): string => hash('sha256', token);

/** Compares two secrets in time independent of where they differ (digests have equal length). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
}
