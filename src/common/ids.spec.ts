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

describe('newSid under heavy use', () => {
  it('keeps the order past 4,096 ids in a millisecond and when the clock goes back', () => {
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(Date.UTC(2030, 0, 1));
      const sids = Array.from({ length: 10_000 }, () => newSid());
      now.mockReturnValue(Date.UTC(2029, 0, 1));
      sids.push(newSid(), newSid());
      expect([...sids].sort()).toEqual(sids);
      expect(new Set(sids).size).toBe(sids.length);
      for (const sid of sids) {
        expect(sid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      // The time part runs ahead by the overflowed milliseconds only.
      const millis = (sid: string) => parseInt(sid.replace(/-/g, '').slice(0, 12), 16);
      expect(millis(sids[0]!)).toBe(Date.UTC(2030, 0, 1));
      expect(millis(sids.at(-1)!)).toBe(Date.UTC(2030, 0, 1) + 2);
    } finally {
      now.mockRestore();
    }
  });
});
