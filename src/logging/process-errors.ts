import type { Logger } from 'pino';

/**
 * Error codes of a failure of one connection or one outside service: when such an error escapes
 * (typically from a plug-in's callback or a socket without an error listener), nothing the
 * gateway shares between requests is left half-changed, so it keeps serving.
 */
const ISOLATED_IO_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_SOCKET_CLOSED',
  'ERR_HTTP_HEADERS_SENT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Whether an uncaught exception must end the process. Only isolated I/O failures (a connection
 * reset, a refused or timed-out call, an HTTP client error) are survivable; any other exception
 * may have left shared state broken halfway, so the process stops and its supervisor starts a
 * fresh one (pending webhook deliveries are stored and resume then).
 */
export function isFatal(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return true;
  const e = err as { code?: unknown; isAxiosError?: unknown };
  if (e.isAxiosError === true) return false;
  return !(typeof e.code === 'string' && ISOLATED_IO_CODES.has(e.code));
}

export interface ProcessErrorOptions {
  logger: Logger;
  /** Closes the application (stops taking requests, finishes in-flight ones). */
  shutdown: () => Promise<void>;
  /** How long a shutdown after a fatal error may take before the process exits anyway. */
  shutdownTimeoutMs?: number;
  exit?: (code: number) => void;
}

export interface ProcessErrorHandlers {
  onUncaughtException: (err: unknown) => void;
  onUnhandledRejection: (reason: unknown) => void;
}

/**
 * What happens to errors nothing caught. A rejected promise nobody awaited is logged and the
 * gateway carries on: the code that dropped it has already moved on, and no request waits on it.
 * An uncaught exception is logged; an isolated I/O failure is survived, anything else closes the
 * gateway (bounded by `shutdownTimeoutMs`) and exits with 1.
 */
export function processErrorHandlers(options: ProcessErrorOptions): ProcessErrorHandlers {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.logger.child({ context: 'Process' });
  let stopping = false;
  return {
    onUnhandledRejection: (reason) => {
      log.error({ err: reason }, 'unhandled promise rejection; the gateway keeps running');
    },
    onUncaughtException: (err) => {
      if (!isFatal(err)) {
        log.error({ err }, 'uncaught I/O error; the gateway keeps running');
        return;
      }
      log.fatal({ err }, 'uncaught exception; the gateway stops');
      if (stopping) return;
      stopping = true;
      setTimeout(() => exit(1), options.shutdownTimeoutMs ?? 10000);
      options.shutdown().then(
        () => exit(1),
        () => exit(1),
      );
    },
  };
}

/** Installs the handlers on the process; returns a function that removes them. */
export function installProcessErrorHandlers(options: ProcessErrorOptions): () => void {
  const handlers = processErrorHandlers(options);
  process.on('uncaughtException', handlers.onUncaughtException);
  process.on('unhandledRejection', handlers.onUnhandledRejection);
  return () => {
    process.removeListener('uncaughtException', handlers.onUncaughtException);
    process.removeListener('unhandledRejection', handlers.onUnhandledRejection);
  };
}
