import { BadRequestException } from '@nestjs/common';
import {
  canonicalJson,
  IDEMPOTENCY_WINDOW_MS,
  isExpired,
  isUniqueViolation,
  parseIdempotencyKey,
  requestHash,
} from './idempotency';

describe('idempotency helpers', () => {
  it('hashes equal bodies equally whatever their key order', () => {
    const a = {
      from: '1',
      to: '2',
      status_hook: { url: 'http://x/', method: 'GET' },
      media: ['u'],
    };
    const b = {
      media: ['u'],
      status_hook: { method: 'GET', url: 'http://x/' },
      to: '2',
      from: '1',
    };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash(a)).toBe(requestHash(b));
    expect(requestHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes different bodies differently, array order included', () => {
    expect(requestHash({ text: 'a' })).not.toBe(requestHash({ text: 'b' }));
    expect(requestHash({ media: ['x', 'y'] })).not.toBe(requestHash({ media: ['y', 'x'] }));
    expect(requestHash({ text: 'a' })).not.toBe(requestHash({ text: 'a', provider: 'p' }));
  });

  it('ignores absent fields', () => {
    expect(canonicalJson({ text: 'a', media: undefined })).toBe('{"text":"a"}');
  });

  it('accepts a visible ASCII key and refuses anything else', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey(' key-1 ')).toBe('key-1');
    for (const bad of ['', 'a b', 'é', 'x'.repeat(256), ['a', 'b']]) {
      expect(() => parseIdempotencyKey(bad)).toThrow(BadRequestException);
    }
  });

  it('frees a key 24 hours after its first use', () => {
    const now = Date.parse('2026-01-02T12:00:00.000Z');
    expect(isExpired(new Date(now - IDEMPOTENCY_WINDOW_MS + 1).toISOString(), now)).toBe(false);
    expect(isExpired(new Date(now - IDEMPOTENCY_WINDOW_MS).toISOString(), now)).toBe(true);
  });

  it('recognises unique violations of both engines', () => {
    expect(isUniqueViolation({ driverError: { code: '23505' } })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_BUSY' })).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
