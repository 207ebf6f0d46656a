import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { ConsoleLogger, HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { messageOf } from './common/http-exception.filter';
import { ConfigurationError } from './config/configuration-error';
import { loadEnvFile } from './config/env-file';
import { parseEnvironment } from './config/environment';
import { limitHeapGrowth } from './config/heap';
import { GatewayLogger } from './logging/gateway-logger';
import { ROOT_LOGGER } from './logging/logging.module';
import { installProcessErrorHandlers } from './logging/process-errors';
import { demoBanner, QuickstartService } from './quickstart/quickstart.service';

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

/** The `msg` of a refused call (an HTTP exception), else the error's message. */
function problemOf(err: unknown): string {
  if (err instanceof HttpException) return messageOf(err.getResponse(), err.message);
  return err instanceof Error ? err.message : String(err);
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
  limitHeapGrowth(config.heapGrowingPercent);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    abortOnError: false,
    bodyParser: false,
    bufferLogs: true,
    logger: new StartupLogger(),
  });
  const root = app.get<PinoLogger>(ROOT_LOGGER);
  app.useLogger(app.get(GatewayLogger));
  installProcessErrorHandlers(root);
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
  if (config.quickstart) {
    const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
    try {
      const demo = await app.get(QuickstartService).ensureDemo();
      // For the person at the terminal, not the log: plain text, once.
      process.stdout.write(demoBanner(demo, `http://${host}:${port}`));
    } catch (err) {
      root.error(
        { context: 'Quickstart', err },
        `the demo account could not be made: ${problemOf(err)}`,
      );
    }
  }
}

bootstrap().catch(exitWith);
