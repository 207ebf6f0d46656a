/** Timestamps are stored as fixed-width ISO-8601 UTC strings: portable and sortable on both engines. */
let lastMs = Number.NaN;
let lastIso = '';

/** The time now; a message takes several within the same millisecond, so the text is kept for it. */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();
