import { isoIn, nowIso } from './time';

describe('nowIso', () => {
  afterEach(() => jest.useRealTimers());

  it('gives the current millisecond as ISO-8601 UTC, following the clock', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 27, 1, 2, 3, 456) });
    expect(nowIso()).toBe('2026-11-27T01:02:03.456Z');
    expect(nowIso()).toBe('2026-11-27T01:02:03.456Z');
    jest.setSystemTime(Date.UTC(2026, 10, 27, 1, 2, 3, 457));
    expect(nowIso()).toBe('2026-11-27T01:02:03.457Z');
    expect(isoIn(1000)).toBe('2026-11-27T01:02:04.457Z');
  });
});
