/** Far deeper than any request or provider payload; validation recurses and must not overflow. */
export const MAX_BODY_DEPTH = 32;

/**
 * Whether `value` is objects or arrays nested more than `limit` levels deep. It recurses, but
 * never more than `limit` levels, so a hostile body cannot overflow the stack; and it allocates
 * nothing, since it runs on every request body.
 */
export function deeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (deeperThan(item, limit - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (
      Object.hasOwn(value, key) &&
      deeperThan((value as Record<string, unknown>)[key], limit - 1)
    ) {
      return true;
    }
  }
  return false;
}
