import { Injectable } from '@nestjs/common';
import { ExpiringCache } from '../common/expiring-cache';
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
export class NumberRouteCache extends ExpiringCache<NumberAssignment | null> {
  constructor() {
    super(NUMBER_ROUTE_CACHE_TTL_MS, NUMBER_ROUTE_CACHE_MAX);
  }
}
