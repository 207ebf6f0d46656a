import { createHash } from 'node:crypto';
import { digestsEqual, hashToken, secretDigest, secretsEqual } from './token-hash';

describe('token hashing', () => {
  it('stores a token as the hex SHA-256 digest the guard compares', () => {
    const token = 'tok_3f9a1c';
    const expected = createHash('sha256').update(token).digest('hex');
    expect(hashToken(token)).toBe(expected);
    expect(secretDigest(token).toString('hex')).toBe(expected);
  });

  it('compares secrets and digests', () => {
    expect(secretsEqual('same secret', 'same secret')).toBe(true);
    expect(secretsEqual('same secret', 'same secreT')).toBe(false);
    expect(secretsEqual('short', 'a much longer secret')).toBe(false);
    expect(digestsEqual(secretDigest('a'), secretDigest('a'))).toBe(true);
    expect(digestsEqual(secretDigest('a'), secretDigest('b'))).toBe(false);
  });
});
