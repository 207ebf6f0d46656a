import { ADMIN_KEY } from './create-app';

export interface JsonAnswer {
  status: number;
  /** The parsed JSON body (undefined for an empty body). */
  body: any;
  /** The body exactly as received, to search for secrets. */
  raw: string;
  headers: Headers;
}

/** One REST call with a bearer token (the admin key unless given; null sends none). */
export async function rest(
  baseUrl: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string | null } = {},
): Promise<JsonAnswer> {
  const token = opts.token === undefined ? ADMIN_KEY : opts.token;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    },
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body),
  });
  const raw = await res.text();
  let body: unknown;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    body = raw;
  }
  return { status: res.status, body, raw, headers: res.headers };
}

/** Fails with the answer in the message when the status is not the expected one. */
export function expectStatus(answer: JsonAnswer, status: number): JsonAnswer {
  if (answer.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${answer.status}: ${answer.raw}`);
  }
  return answer;
}

export interface AccountWithKey {
  accountSid: string;
  keySid: string;
  token: string;
}

/** An account created by the admin, with one API key. */
export async function accountWithKey(baseUrl: string, name = 'acme'): Promise<AccountWithKey> {
  const account = expectStatus(
    await rest(baseUrl, 'POST', '/v1/Accounts', { body: { name } }),
    201,
  );
  const key = expectStatus(
    await rest(baseUrl, 'POST', '/v1/ApiKeys', { body: { account_sid: account.body.sid } }),
    201,
  );
  return { accountSid: account.body.sid, keySid: key.body.sid, token: key.body.token };
}

/** An application of the account, with a hook; returns its sid. */
export async function createApplication(
  baseUrl: string,
  accountSid: string,
  hook: Record<string, unknown> = { url: 'https://app.example.com/sms' },
  token?: string,
): Promise<string> {
  const app = await rest(baseUrl, 'POST', '/v1/Applications', {
    body: { name: 'app', account_sid: accountSid, messaging_hook: hook },
    token,
  });
  return expectStatus(app, 201).body.sid;
}

export const UNKNOWN_SID = '00000000-0000-4000-8000-000000000000';
