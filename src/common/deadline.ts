/**
 * A signal that aborts after `ms`, for an outgoing call, and `clear`, to call once the call is
 * over. A plain timer, cleared when done, rather than `AbortSignal.timeout`, whose signals are
 * tracked for the garbage collector: a cost on every call.
 */
export function deadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms).unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
