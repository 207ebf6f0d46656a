import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigurationError } from './config/configuration-error';
import { loadEnvFile } from './config/env-file';
import { parseEnvironment } from './config/environment';
import { GatewayLogger } from './logging/gateway-logger';
import { ROOT_LOGGER } from './logging/logging.module';
import { installProcessErrorHandlers } from './logging/process-errors';

function exitWith(err: unknown): never {
  if (err instanceof ConfigurationError) {
    console.error(`configuration error: ${err.message}`);
  } else {
    console.error(
      `start-up failed: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`,
    );
  }
  process.exit(1);
}

/**
 * Nest's logger until the application exists (the lines are buffered and go to pino once it does;
 * a start-up that fails prints them here). Leaves a configuration error to `exitWith`, so that it
 * is reported once, on one line.
 */
class StartupLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (message instanceof ConfigurationError) return;
    super.error(message, ...rest);
  }
}

async function bootstrap(): Promise<void> {
  loadEnvFile();
  const config = parseEnvironment(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    abortOnError: false,
    bodyParser: false,
    bufferLogs: true,
    logger: new StartupLogger(),
  });
  const root = app.get<PinoLogger>(ROOT_LOGGER);
  app.useLogger(app.get(GatewayLogger));
  installProcessErrorHandlers({ logger: root, shutdown: () => app.close() });
  configureApp(app, config);
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  // Written at info whatever LOG_LEVEL says (except silent): operators and scripts wait for it.
  const banner =
    root.isLevelEnabled('info') || config.logLevel === 'silent'
      ? root
      : root.child({}, { level: 'info' });
  banner.info(
    { context: 'Main', port },
    `SMS gateway listening on http://${config.host}:${port} (docs at /docs)`,
  );
}

bootstrap().catch(exitWith);
