import type { Logger } from 'pino';

export interface ProcessErrorHandlers {
  onUncaughtException: (err: unknown) => void;
  onUnhandledRejection: (reason: unknown) => void;
}

/**
 * What happens to errors nothing caught: they are logged, and the gateway keeps serving. A
 * stray rejection or exception comes from code that has already moved on (a plug-in's callback,
 * a socket without an error listener); ending the process for it would drop every request in
 * flight, while what the gateway acknowledged is stored and needs no restart to go on.
 */
export function processErrorHandlers(logger: Logger): ProcessErrorHandlers {
  const log = logger.child({ context: 'Process' });
  return {
    onUnhandledRejection: (reason) => {
      log.error({ err: reason }, 'unhandled promise rejection; the gateway keeps running');
    },
    onUncaughtException: (err) => {
      log.error({ err }, 'uncaught exception; the gateway keeps running');
    },
  };
}

/** Installs the handlers on the process; returns a function that removes them. */
export function installProcessErrorHandlers(logger: Logger): () => void {
  const handlers = processErrorHandlers(logger);
  process.on('uncaughtException', handlers.onUncaughtException);
  process.on('unhandledRejection', handlers.onUnhandledRejection);
  return () => {
    process.removeListener('uncaughtException', handlers.onUncaughtException);
    process.removeListener('unhandledRejection', handlers.onUnhandledRejection);
  };
}
