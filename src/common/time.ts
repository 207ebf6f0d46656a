/** Timestamps are stored as fixed-width ISO-8601 UTC strings: portable and sortable on both engines. */
export const nowIso = (): string => new Date().toISOString();
export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();
