/**
 * Lookups kept in memory for `ttlMs`, at most `max` of them (beyond that the cache starts over
 * rather than grow). A write that changes what was looked up calls `clear`; a lookup takes a
 * `snapshot` before it reads the database and hands it to `set`, so that what it read while such
 * a write went on is not kept.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** The value kept for `key`, or undefined when there is none or it expired. */
  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /** A token to pass to `set`, taken before the database is read. */
  snapshot(): number {
    return this.generation;
  }

  /** Keeps what was read, unless `clear` was called since `snapshot`. */
  set(key: string, value: V, snapshot: number): void {
    if (snapshot !== this.generation) return;
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
