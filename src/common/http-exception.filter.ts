import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestContextOf, withRequestId } from '../logging/request-context';
import { isDatabaseUnavailable } from './database-errors';

/** The `msg` of an HTTP error's body (or its `message`), else `fallback`. */
export function messageOf(body: unknown, fallback: string): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null) {
    const { msg, message } = body as { msg?: unknown; message?: unknown };
    if (typeof msg === 'string') return msg;
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof message === 'string') return message;
  }
  return fallback;
}

/** Body-parser and other Express middleware errors carry their HTTP status in `status`. */
function middlewareStatus(err: unknown): number | undefined {
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown };
  const status = typeof e?.status === 'number' ? e.status : e?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

const MIDDLEWARE_MESSAGES: Record<string, string> = {
  'entity.too.large': 'the request body is too large',
  'entity.parse.failed': 'the request body is not valid JSON',
  'encoding.unsupported': 'the request body has an unsupported encoding',
  'charset.unsupported': 'the request body has an unsupported charset',
  'request.aborted': 'the request was aborted',
};

/**
 * Every error leaves as JSON with a `msg`. Known HTTP errors keep their status and text; anything
 * else is logged with a correlation id and answered as a plain 500 without its stack or text.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) return;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const extra =
        typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const { message: _m, error: _e, statusCode: _s, ...rest } = extra;
      res.status(status).json({ ...rest, msg: messageOf(body, exception.message) });
      return;
    }
    const status = middlewareStatus(exception);
    if (status !== undefined) {
      const type = (exception as { type?: string }).type ?? '';
      res
        .status(status)
        .json({ msg: MIDDLEWARE_MESSAGES[type] ?? 'the request could not be read' });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      // The database's state, not a bug: a 503 the caller may retry, logged without a stack.
      this.logger.warn(
        withRequestId(
          requestContextOf(req),
          `${req.method} ${req.path}: the database is unavailable (${exception instanceof Error ? exception.message : String(exception)})`,
        ),
      );
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({ msg: 'the database is unavailable' });
      return;
    }
    const correlationId = randomUUID();
    this.logger.error(
      withRequestId(
        requestContextOf(req),
        `unhandled error ${correlationId} on ${req.method} ${req.path}: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
      ),
    );
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ msg: 'internal error', correlationId });
  }
}
