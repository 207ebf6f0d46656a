/** Where and how to call an application. */
export interface HookTarget {
  url: string;
  method: 'POST' | 'GET';
}

/** Resolves a hook that may be relative (`/sms/action`) against the application's messaging hook URL. */
export function resolveHookUrl(hook: string, base: string): string {
  return new URL(hook, base).toString();
}

/** The query string of a GET webhook: arrays as repeated parameters, objects as JSON. */
export function toQueryString(payload: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
    if (Array.isArray(value)) for (const item of value) params.append(key, text(item));
    else params.append(key, text(value));
  }
  return params.toString();
}
