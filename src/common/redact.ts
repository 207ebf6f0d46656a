import { basicCredentials } from './basic-auth';

/** Field names whose values are secrets wherever they appear. */
const SECRET_KEY =
  /pass(word)?|pwd|secret|token|api[-_]?key|key$|credential|signature|authorization|^auth$|private|bearer|cookie/i;

export const REDACTED = '[REDACTED]';

/** Inside an `auth` object, the one field that is not a secret. */
const USERNAME_KEY = /^(user(name)?|login)$/i;

/** Whether a configuration field or query parameter of this name holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_KEY.test(name);
}

/**
 * Replaces the `user:password@` of any URL found in the text. The authority ends at the first
 * '/', '?', '#' or white space, and a password may itself hold '@', so everything up to the last
 * '@' before that end is credentials.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, `$1${REDACTED}@`);
}

/** Replaces the value of every secret-named query parameter (`?api_key=...`) in the text. */
export function redactSecretQueryParams(text: string): string {
  return text.replace(/([?&;])([^=&#\s?;]+)=([^&#\s;]*)/g, (match, sep: string, name: string) =>
    isSecretName(safeDecode(name)) ? `${sep}${name}=${REDACTED}` : match,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Free text (an error message, a log line) with URL credentials and secret query values removed. */
export function redactText(text: string): string {
  // Credentials need an '@', secret parameters an '=': most texts have neither.
  if (!text.includes('@') && !text.includes('=')) return text;
  return redactSecretQueryParams(redactUrlCredentials(text));
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
      } else if (key.toLowerCase() === 'auth' && USERNAME_KEY.test(k)) {
        out[k] = typeof v === 'string' ? redactText(v) : v;
      } else if (key.toLowerCase() === 'auth' || isSecretName(k)) {
        out[k] = REDACTED;
      } else {
        out[k] = redactSecrets(v, k);
      }
    }
    return out;
  }
  if (typeof value === 'string') return redactText(value);
  return value;
}

/** Secret values shorter than this are not searched for in free text: they would match anywhere. */
const MIN_SECRET_LENGTH = 4;

function urlSecrets(text: string, into: Set<string>): void {
  for (const m of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^/?#\s]*)@/gi)) {
    const userinfo = m[1] ?? '';
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      into.add(safeDecode(userinfo.slice(colon + 1)));
      into.add(
        basicCredentials(
          safeDecode(userinfo.slice(0, colon)),
          safeDecode(userinfo.slice(colon + 1)),
        ),
      );
    } else into.add(safeDecode(userinfo));
  }
  for (const m of text.matchAll(/[?&;]([^=&#\s?;]+)=([^&#\s;]*)/g)) {
    if (isSecretName(safeDecode(m[1] ?? ''))) into.add(safeDecode(m[2] ?? ''));
  }
}

/**
 * Every secret value held by a configuration (what `redactSecrets` would hide), so that free text
 * a plug-in produced, such as an error message, can be cleaned of them with `redactValues`.
 */
export function collectSecrets(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown, secret: boolean, inAuth: boolean): void => {
    if (typeof v === 'string') {
      if (secret) found.add(v);
      urlSecrets(v, found);
    } else if (typeof v === 'number' || typeof v === 'bigint') {
      if (secret) found.add(String(v));
    } else if (Array.isArray(v)) {
      for (const item of v) walk(item, secret, false);
    } else if (typeof v === 'object' && v !== null) {
      if (inAuth) {
        const { password } = v as Record<string, unknown>;
        const user = Object.entries(v).find(([k]) => USERNAME_KEY.test(k))?.[1];
        if (typeof user === 'string' && typeof password === 'string') {
          found.add(basicCredentials(user, password));
        }
      }
      for (const [k, child] of Object.entries(v)) {
        const isAuthObject =
          k.toLowerCase() === 'auth' && typeof child === 'object' && child !== null;
        const childSecret =
          secret || (inAuth ? !USERNAME_KEY.test(k) : !isAuthObject && isSecretName(k));
        walk(child, childSecret, isAuthObject);
      }
    }
  };
  walk(value, false, false);
  return [...found]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces each of `secrets`, as is or percent-encoded, wherever it occurs in the text. */
export function redactValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    const forms = new Set([secret, encodeURIComponent(secret)]);
    for (const form of forms) {
      out = out.replace(new RegExp(escapeRegExp(form), 'g'), REDACTED);
    }
  }
  return out;
}
