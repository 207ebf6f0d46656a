/** Field names whose values are secrets wherever they appear. */
const SECRET_KEY =
  /pass(word)?|secret|token|api[-_]?key|^key$|[-_]key$|credential|signature|authorization|^auth$|private/i;

export const REDACTED = '[REDACTED]';

/** Replaces `user:password@` in any URL found in the text. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(:[^/\s@]*)?@/gi, `$1${REDACTED}@`);
}

function redactUrlQuery(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  try {
    const url = new URL(text);
    let changed = false;
    for (const name of [...url.searchParams.keys()]) {
      if (SECRET_KEY.test(name) || name === 'pass' || name === 'pwd') {
        url.searchParams.set(name, REDACTED);
        changed = true;
      }
    }
    return changed ? url.toString() : text;
  } catch {
    return text;
  }
}

/**
 * A deep copy of a configuration value with every secret replaced: secret-like keys (password,
 * token, secret, key, ...) and credentials or secret query parameters inside URLs. An `auth`
 * object keeps its `username` and loses everything else.
 */
export function redactSecrets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.toLowerCase() === 'auth' && typeof v === 'object' && v !== null) {
        out[k] = redactSecrets(v, k);
      } else if (key.toLowerCase() === 'auth' && /^(user(name)?|login)$/i.test(k)) {
        out[k] = typeof v === 'string' ? redactUrlCredentials(v) : v;
      } else if (key.toLowerCase() === 'auth' || SECRET_KEY.test(k)) {
        out[k] = REDACTED;
      } else {
        out[k] = redactSecrets(v, k);
      }
    }
    return out;
  }
  if (typeof value === 'string') return redactUrlQuery(redactUrlCredentials(value));
  return value;
}
