import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Options as HttpLoggerOptions } from 'pino-http';
import { isSecretName, REDACTED, redactText } from '../common/redact';

/** Field names that hold secrets wherever a log object carries them. */
const SECRET_FIELDS = [
  'password',
  'passwd',
  'secret',
  'webhook_secret',
  'webhookSecret',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'api_key',
  'apiKey',
  'apikey',
  'admin_api_key',
  'adminApiKey',
  'authorization',
  'Authorization',
  'cookie',
  'client_secret',
  'private_key',
  'messaging_hook_password',
  'signature',
  'key',
];

/** Redaction paths: every secret field at the top of a log object and two levels down. */
export const REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["jambonz-signature"]',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

/** `message <uuid>` in a log line: the message the line is about. */
const MESSAGE_SID = /\bmessage ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/i;

/** A request id from a client or proxy is kept when it is short and plain. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Requests that probes and scrapers make every few seconds: logged at debug when they succeed. */
const ROUTINE_PATHS = new Set(['/metrics', '/health', '/health/live', '/health/ready']);

/**
 * The pino options of the gateway: JSON lines with ISO times and level names, secrets redacted,
 * and a `messageSid` field on every line that names a message.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { err: serializeError },
    hooks: {
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        const text = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
        const sid = MESSAGE_SID.exec(text)?.[1];
        if (sid === undefined) {
          method.apply(this, args);
          return;
        }
        const rest: unknown[] = args.slice(typeof first === 'string' ? 0 : 1);
        const merge: Record<string, unknown> =
          typeof first === 'object' && first !== null
            ? first instanceof Error
              ? { err: first }
              : { ...first }
            : {};
        merge.messageSid ??= sid;
        method.apply(this, [merge, ...rest] as Parameters<typeof method>);
      },
    },
  };
}

/**
 * An error as a log field: its kind, message, stack and code, cleaned of URL credentials. Other
 * properties are left out on purpose: HTTP client errors carry the whole request, credentials
 * included.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  // pino-http hands over errors already turned into plain objects by pino's own serializer.
  if (typeof err !== 'object' || err === null) return { message: redactText(String(err)) };
  const e = err as {
    name?: unknown;
    type?: unknown;
    message?: unknown;
    stack?: unknown;
    code?: unknown;
    status?: unknown;
    statusCode?: unknown;
  };
  const type =
    typeof e.type === 'string' ? e.type : typeof e.name === 'string' ? e.name : undefined;
  return {
    ...(type !== undefined ? { type } : {}),
    message: redactText(typeof e.message === 'string' ? e.message : JSON.stringify(err)),
    ...(typeof e.stack === 'string' ? { stack: redactText(e.stack) } : {}),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
  };
}

/** The root logger; writes asynchronously to `destination` (stdout by default), flushed on exit. */
export function createRootLogger(level: string, destination?: DestinationStream): Logger {
  return pino(loggerOptions(level), destination ?? pino.destination({ dest: 1, sync: false }));
}

/** The URL as the client sent it (Express rewrites `req.url` while routing). */
function requestUrl(req: IncomingMessage): string {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
}

function requestPath(req: IncomingMessage): string {
  const raw = requestUrl(req);
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}

/** Header values that carry credentials are replaced; the others are kept. */
export function redactHeaders(
  headers: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = isSecretName(name)
      ? REDACTED
      : typeof value === 'string'
        ? redactText(value)
        : value;
  }
  return out;
}

interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}

/**
 * One line per request, at the end of it, tied to every line logged while it ran by `reqId`; the
 * id comes from an incoming `x-request-id` when there is a usable one and is sent back in the
 * same header.
 */
export function httpLoggerOptions(logger: Logger): HttpLoggerOptions {
  return {
    logger,
    quietReqLogger: true,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id =
        typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    customLogLevel: (req, res, err) => {
      // 500 is the gateway's own failure; 502, 503 and 504 are about a provider or the database.
      if (err || res.statusCode === 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return ROUTINE_PATHS.has(requestPath(req)) ? 'debug' : 'info';
    },
    customSuccessMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode}`,
    // pino-http makes up an error for every 5xx answer; its stack says nothing. A real error (the
    // response stream failing) is kept.
    customErrorObject: (_req, _res, err, val: Record<string, unknown>) =>
      err.message.startsWith('failed with status code ') ? { ...val, err: undefined } : val,
    serializers: {
      req: (req: SerializedRequest) => ({
        id: req.id,
        method: req.method,
        url: redactText(req.url ?? ''),
        remoteAddress: req.remoteAddress,
        headers: redactHeaders(req.headers),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
  };
}
