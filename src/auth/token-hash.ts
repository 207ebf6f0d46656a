import { hash, timingSafeEqual } from 'node:crypto';

// `hash` is the one-shot form of `createHash`: no Hash object per call, for what every request runs.

/** The SHA-256 digest of a secret: what API keys are stored and compared as. */
export const secretDigest = (secret: string): Buffer => hash('sha256', secret, 'buffer');

/** An API key token's digest in hex, as the api_keys table holds it (the auth guard's lookup). */
export const hashToken = (token: string): string => secretDigest(token).toString('hex');

/** Compares two digests in time independent of where they differ. */
export const digestsEqual = (a: Buffer, b: Buffer): boolean => timingSafeEqual(a, b);

/** Compares two secrets in time independent of where they differ (digests have equal length). */
export function secretsEqual(a: string, b: string): boolean {
  return digestsEqual(secretDigest(a), secretDigest(b));
}
