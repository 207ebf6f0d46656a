import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps a value until its time runs out', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new ExpiringCache<string>(5000, 10);
    cache.set('a', 'x', cache.snapshot());
    jest.setSystemTime(1_004_999);
    expect(cache.get('a')).toBe('x');
    jest.setSystemTime(1_005_000);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps null as a value (a known absence)', () => {
    const cache = new ExpiringCache<string | null>(5000, 10);
    cache.set('a', null, cache.snapshot());
    expect(cache.get('a')).toBeNull();
    expect(cache.get('b')).toBeUndefined();
  });

  it('does not keep what was read across a clear', () => {
    const cache = new ExpiringCache<string>(5000, 10);
    const snapshot = cache.snapshot();
    cache.clear();
    cache.set('a', 'stale', snapshot);
    expect(cache.get('a')).toBeUndefined();
  });

  it('starts over instead of growing past its bound', () => {
    const cache = new ExpiringCache<number>(5000, 2);
    cache.set('a', 1, cache.snapshot());
    cache.set('b', 2, cache.snapshot());
    cache.set('c', 3, cache.snapshot());
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, undefined, 3]);
  });
});
