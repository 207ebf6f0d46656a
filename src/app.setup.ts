import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from './config/environment';

/** What main.ts and the e2e tests share: body parsing with a size limit, Swagger, shutdown hooks. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', {
    limit: config.bodyLimit,
    type: ['application/json', 'application/*+json'],
  });
  express.useBodyParser('urlencoded', { limit: config.bodyLimit, extended: true });
  express.disable('x-powered-by');
  express.set('trust proxy', 'loopback');
  app.enableShutdownHooks();
  answerMalformedRequestsWithJson(app.getHttpServer() as Server);
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

/**
 * Requests Node's HTTP parser refuses before any route sees them (an oversized URL or header, a
 * method or line that is not HTTP) get a JSON `{msg}` like every other refusal, instead of
 * Node's bare status line.
 */
function answerMalformedRequestsWithJson(server: Server): void {
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
    const body = JSON.stringify({ msg });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
