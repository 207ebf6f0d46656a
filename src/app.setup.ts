import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { BadRequestException, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { deeperThan, MAX_BODY_DEPTH } from './common/body-depth';
import { plainJsonBody } from './common/json-body';
import type { AppConfig } from './config/environment';
import type { RequestLogger } from './logging/logger-options';
import { HTTP_LOGGER, ROOT_LOGGER } from './logging/logging.module';

/**
 * What main.ts and the e2e tests share: request logging, body parsing with a size limit, Swagger,
 * shutdown hooks.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  // First, so that every request gets its id and its log line, even one the body parser refuses.
  express.use(app.get<RequestLogger>(HTTP_LOGGER));
  // The usual JSON body in one pass; the parsers after it take everything else.
  express.use(plainJsonBody(config.bodyLimit));
  express.useBodyParser('json', {
    limit: config.bodyLimit,
    type: ['application/json', 'application/*+json'],
  });
  express.useBodyParser('urlencoded', { limit: config.bodyLimit, extended: true });
  express.use(refuseDeepBodies);
  express.disable('x-powered-by');
  // Answers are API results computed per request: an ETag would cost a hash of every body.
  express.disable('etag');
  express.set('trust proxy', 'loopback');
  // On SIGTERM/SIGINT: stop taking connections, let in-flight requests finish, run the shutdown
  // hooks, then exit 0 through process.exit, which also flushes the asynchronous log stream.
  app.enableShutdownHooks([], { useProcessExit: true });
  closeConnectionsOnceStopping(app.getHttpServer() as Server);
  answerMalformedRequestsWithJson(app.getHttpServer() as Server, app.get<Logger>(ROOT_LOGGER));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('SMS gateway')
      .setDescription(
        'Send and receive SMS/MMS through provider plug-ins, the jambonz way. Authenticate with ' +
          '`Authorization: Bearer <token>`: the ADMIN_API_KEY, or an account API key.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'ADMIN_API_KEY or an account API key',
      })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

function refuseDeepBodies(
  req: { body?: unknown },
  _res: unknown,
  next: (err?: unknown) => void,
): void {
  if (typeof req.body === 'object' && req.body !== null && deeperThan(req.body, MAX_BODY_DEPTH)) {
    next(
      new BadRequestException({
        msg: `the request body is nested more than ${MAX_BODY_DEPTH} levels deep`,
      }),
    );
    return;
  }
  next();
}

/**
 * Once the server stops taking connections, the answers still to be sent say `Connection: close`,
 * so that the keep-alive connections they use end with them and the shutdown does not wait for
 * clients to drop idle connections.
 */
function closeConnectionsOnceStopping(server: Server): void {
  const unanswered = new Set<ServerResponse>();
  let stopping = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (stopping) {
      if (!res.headersSent) res.setHeader('connection', 'close');
      return;
    }
    unanswered.add(res);
    res.on('close', () => unanswered.delete(res));
  });
  const close = server.close.bind(server);
  server.close = (callback?: (err?: Error) => void) => {
    stopping = true;
    for (const res of unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
    return close(callback);
  };
}

/**
 * Requests Node's HTTP parser refuses before any route sees them (an oversized URL or header, a
 * method or line that is not HTTP) get a JSON `{msg}` like every other refusal, instead of
 * Node's bare status line.
 */
function answerMalformedRequestsWithJson(server: Server, logger: Logger): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, msg] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request line or headers are too large']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'the request took too long to arrive']
          : [400, 'the request is not valid HTTP'];
    logger.warn({ context: 'Http', code: err.code, status }, msg);
    endWithJson(socket, status, msg);
  });
  // Without a listener, Node closes a CONNECT request's connection without a word.
  server.on('connect', (_req: unknown, socket: Duplex) => {
    const msg = 'the CONNECT method is not supported';
    logger.warn({ context: 'Http', status: 405 }, msg);
    endWithJson(socket, 405, msg);
  });
}

function endWithJson(socket: Duplex, status: number, msg: string): void {
  const body = JSON.stringify({ msg });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
