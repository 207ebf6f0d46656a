import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';
import { ROOT_LOGGER } from './logging.tokens';

/** Nest's start-up chatter: a line per module and per route, useful when debugging only. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's logger (`new Logger('Context')` in services, and the framework's own lines) written
 * through the gateway's pino instance: the context as a `context` field, an error as `err`, and
 * the framework's start-up listing at debug.
 */
@Injectable()
export class GatewayLogger implements LoggerService {
  constructor(@Inject(ROOT_LOGGER) private readonly root: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params[params.length - 1];
    const startUp = typeof context === 'string' && START_UP_CONTEXTS.has(context);
    this.write(startUp ? 'debug' : 'info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest passes `(message, ...extra, context)`; for `error`, the extra is a stack when there is
   * one.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let extra = params;
    const last = params[params.length - 1];
    if (params.length > 0 && typeof last === 'string') {
      fields.context = last;
      extra = params.slice(0, -1);
    }
    const stack = extra[0];
    if (message instanceof Error) {
      fields.err = message;
      this.root[level](fields, message.message);
      return;
    }
    if (typeof stack === 'string' && stack !== '') fields.err = { message: String(message), stack };
    if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.root[level]({ ...fields, ...rest }, typeof msg === 'string' ? msg : undefined);
      return;
    }
    this.root[level](fields, String(message));
  }
}
