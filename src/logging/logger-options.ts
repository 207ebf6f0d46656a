import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { isSecretName, REDACTED, redactText } from '../common/redact';
import { attachRequestContext, type RequestContext } from './request-context';

/** Field names that hold secrets wherever a log object carries them. */
const SECRET_FIELDS = new Set([
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
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'jambonz-signature',
  'client_secret',
  'private_key',
  'messaging_hook_password',
  'signature',
  'key',
]);

/** How deep below a log object secret fields are looked for (three levels: `a.b.password`). */
const SCRUB_DEPTH = 3;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The log object with every secret-named field in its first three levels replaced, copied only
 * where something is replaced. Only plain objects and arrays are searched: errors, requests and
 * other class instances go through their serializers.
 */
export function scrubSecretFields<T>(value: T, depth = 0): T {
  if (depth >= SCRUB_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item: unknown, i) => {
      const scrubbed = scrubSecretFields(item, depth + 1);
      if (scrubbed !== item) (out ??= [...(value as unknown[])])[i] = scrubbed;
    });
    return (out ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const scrubbed =
      SECRET_FIELDS.has(key) && item !== undefined && item !== null
        ? REDACTED
        : scrubSecretFields(item, depth + 1);
    if (scrubbed !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = scrubbed;
  }
  return (out ?? value) as T;
}

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
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => scrubSecretFields(object),
    },
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
  // Errors may come already turned into plain objects (a message and a stack).
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

/** Lines are written to stdout in chunks of about this size... */
const LOG_CHUNK_BYTES = 4096;
/** ...or after this long, whichever comes first. */
const LOG_FLUSH_MS = 200;

/**
 * Log lines written asynchronously to the file descriptor `fd` (stdout by default), gathered into
 * chunks (one write for many lines under load) that are written at least every 200 ms and, by
 * pino, when the process exits. Lines are handed to sonic-boom as bytes: in its text mode it
 * appends each line to one string and measures that string's UTF-8 length at every line, which
 * copies the whole growing chunk once per line (several kilobytes of garbage per line under load).
 */
export function asyncDestination(fd = 1): DestinationStream & { end(): void } {
  const sonic = pino.destination({
    dest: fd,
    sync: false,
    minLength: LOG_CHUNK_BYTES,
    periodicFlush: LOG_FLUSH_MS,
    contentMode: 'buffer',
  });
  // In its bytes mode sonic-boom takes buffers; its typings only know text.
  const writeBytes = sonic.write.bind(sonic) as unknown as (data: Buffer) => boolean;
  return {
    write: (line: string) => void writeBytes(Buffer.from(line)),
    // Writes what is left, then closes `fd` (sonic-boom leaves stdout and stderr open).
    end: () => sonic.end(),
  };
}

/** The root logger: it writes to `destination`, or else to stdout through `asyncDestination`. */
export function createRootLogger(level: string, destination?: DestinationStream): Logger {
  return pino(loggerOptions(level), destination ?? asyncDestination());
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

/** 500 is the gateway's own failure; 502, 503 and 504 are about a provider or the database. */
function levelOf(req: IncomingMessage, status: number, completed: boolean): pino.Level {
  if (!completed || status === 500) return 'error';
  if (status >= 400) return 'warn';
  return ROUTINE_PATHS.has(requestPath(req)) ? 'debug' : 'info';
}

export type RequestLogger = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * The request logging middleware: one line per request, written when its answer has gone (or
 * the connection closed first), with a request id. The id comes from an incoming `x-request-id`
 * when there is a usable one and is sent back in the same header; the request carries it in its
 * `RequestContext` (`requestContextOf`) for the lines logged about it.
 */
export function requestLogger(logger: Logger): RequestLogger {
  return (req, res, next) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const reqId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', reqId);
    const context: RequestContext = { reqId };
    res.once('close', () => {
      const completed = res.writableFinished;
      const level = levelOf(req, res.statusCode, completed);
      if (!logger.isLevelEnabled(level)) return;
      // Headers only when debugging: they are most of a request line's cost.
      const headers = logger.isLevelEnabled('debug') ? redactHeaders(req.headers) : undefined;
      const line = `${req.method} ${requestPath(req)} ${completed ? res.statusCode : 'closed before the answer was sent'}`;
      logger[level](
        {
          reqId,
          ...(context.messageSid !== undefined ? { messageSid: context.messageSid } : {}),
          req: {
            method: req.method,
            url: redactText(requestUrl(req)),
            remoteAddress: req.socket.remoteAddress,
            ...(headers ? { headers } : {}),
          },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        line,
      );
    });
    attachRequestContext(req, context);
    next();
  };
}
