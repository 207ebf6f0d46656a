import { isUUID } from 'class-validator';
import { newSid } from './ids';

describe('newSid', () => {
  it('gives UUIDs of version 7 that the API accepts as sids', () => {
    const sid = newSid();
    expect(sid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUUID(sid)).toBe(true);
  });

  it('gives ids that sort in the order they were made, starting with the time', () => {
    const before = Date.now();
    const sids = Array.from({ length: 1000 }, () => newSid());
    expect([...sids].sort()).toEqual(sids);
    expect(new Set(sids).size).toBe(sids.length);
    const millis = parseInt(sids[0]!.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(Date.now());
  });
});
