import { setFlagsFromString } from 'node:v8';

export interface GarbageCollectorSettings {
  /** How far above what a full collection kept the heap may grow; 0 leaves V8's choice. */
  heapGrowingPercent: number;
  /** Whether young-generation collections also run on V8's helper threads. */
  parallelScavenge: boolean;
}

/**
 * Tunes two V8 heuristics that V8 reads at every collection, so that they can be set once the
 * process runs (the heap's sizes cannot: they are fixed when V8 starts).
 *
 * - The heap may grow only `heapGrowingPercent` above what each full collection kept, instead of
 *   V8's own factor (up to about twice). Under load, requests keep objects alive for tens of
 *   milliseconds, many outlive the young generation and land in the old one, and V8's own factor
 *   lets that fill to several times the live heap before it is collected: the resident size of a
 *   busy gateway then climbs to three times what it needs.
 * - Young-generation collections (scavenges, the most frequent by far) run on the main thread
 *   alone unless `parallelScavenge`. The gateway's young generation holds little that survives, so
 *   helper threads add hand-over work without shortening a scavenge much, and under load they
 *   take CPU from the threads doing the messages.
 */
export function tuneGarbageCollector(settings: GarbageCollectorSettings): void {
  if (settings.heapGrowingPercent > 0) {
    setFlagsFromString(`--heap-growing-percent=${settings.heapGrowingPercent}`);
  }
  if (!settings.parallelScavenge) setFlagsFromString('--no-parallel-scavenge');
}
