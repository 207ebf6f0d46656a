import { Injectable } from '@nestjs/common';
import type { NumberAssignment } from './phone-numbers.repository';

/**
 * How long a number's assignment is trusted without asking the database again. Writes through
 * this process clear the cache at once; another gateway process sharing the database sees them
 * within this time.
 */
export const NUMBER_ROUTE_CACHE_TTL_MS = 5000;
/** Bounds the cache (inbound traffic names arbitrary numbers); beyond it the cache starts over. */
const NUMBER_ROUTE_CACHE_MAX = 50_000;

/** Number -> assignment, or null for a number known not to be provisioned. */
@Injectable()
export class NumberRouteCache {
  private readonly entries = new Map<
    string,
    { assignment: NumberAssignment | null; expiresAt: number }
  >();
  private generation = 0;

  /** The cached answer: an assignment, null (known unprovisioned) or undefined (not cached). */
  get(number: string): NumberAssignment | null | undefined {
    const hit = this.entries.get(number);
    if (!hit) return undefined;
    if (hit.expiresAt <= Date.now()) {
      this.entries.delete(number);
      return undefined;
    }
    return hit.assignment;
  }

  /** A token to pass to `set`, taken before the database is read. */
  snapshot(): number {
    return this.generation;
  }

  /** Stores what was read, unless a write invalidated the cache while it was being read. */
  set(number: string, assignment: NumberAssignment | null, snapshot: number): void {
    if (snapshot !== this.generation) return;
    if (this.entries.size >= NUMBER_ROUTE_CACHE_MAX) this.entries.clear();
    this.entries.set(number, { assignment, expiresAt: Date.now() + NUMBER_ROUTE_CACHE_TTL_MS });
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
