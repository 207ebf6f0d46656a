import { ADMIN_KEY } from './create-app';

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  raw: string;
  headers: Headers;
}

/** One JSON call to the gateway, as a REST client makes it. */
export async function api<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = ADMIN_KEY,
  headers: Record<string, string> = {},
): Promise<ApiAnswer<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const raw = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = raw ? JSON.parse(raw) : undefined;
  } catch {
    parsed = raw;
  }
  return { status: res.status, body: parsed as T, raw, headers: res.headers };
}

export interface Tenant {
  accountSid: string;
  apiKey: string;
  applicationSid: string;
  webhookSecret: string;
}

/** An account with a key, a signing secret, an application with a messaging hook, and numbers. */
export async function createTenant(
  baseUrl: string,
  opts: {
    hookUrl: string;
    hookMethod?: 'POST' | 'GET';
    username?: string;
    password?: string;
    numbers?: string[];
    webhookSecret?: string;
  },
): Promise<Tenant> {
  const webhookSecret = opts.webhookSecret ?? `whsec-${Math.random().toString(36).slice(2)}`;
  const account = await api(baseUrl, 'POST', '/v1/Accounts', { name: 'tenant', webhook_secret: webhookSecret });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${account.raw}`);
  const accountSid = account.body.sid as string;
  const key = await api(baseUrl, 'POST', '/v1/ApiKeys', { account_sid: accountSid });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${key.raw}`);
  const app = await api(baseUrl, 'POST', '/v1/Applications', {
    name: 'app',
    account_sid: accountSid,
    messaging_hook: {
      url: opts.hookUrl,
      method: opts.hookMethod ?? 'POST',
      ...(opts.username ? { username: opts.username, password: opts.password } : {}),
    },
  });
  if (app.status !== 201) throw new Error(`application: ${app.status} ${app.raw}`);
  for (const number of opts.numbers ?? []) {
    const n = await api(baseUrl, 'POST', '/v1/PhoneNumbers', {
      number,
      account_sid: accountSid,
      application_sid: app.body.sid,
    });
    if (n.status !== 201) throw new Error(`number ${number}: ${n.status} ${n.raw}`);
  }
  return { accountSid, apiKey: key.body.token as string, applicationSid: app.body.sid as string, webhookSecret };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(25);
  }
}
