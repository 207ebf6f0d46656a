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
