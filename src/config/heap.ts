import { setFlagsFromString } from 'node:v8';

/**
 * Lets the V8 heap grow only `percent` above what each full garbage collection kept, instead of
 * V8's own factor (up to about twice). Under load, requests keep objects alive for tens of
 * milliseconds, many outlive the young generation and land in the old one, and V8's own factor
 * lets that fill to several times the live heap before it is collected: the resident size of a
 * busy gateway then climbs to three times what it needs. The setting is a heuristic V8 reads at
 * every full collection, so it can be set once the process runs; 0 leaves V8's choice.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
