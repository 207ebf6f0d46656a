import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigurationError } from './config/configuration-error';
import { loadEnvFile } from './config/env-file';
import { parseEnvironment } from './config/environment';

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

/** Leaves a configuration error to `exitWith`, so that it is reported once, on one line. */
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
    logger: new StartupLogger(),
  });
  configureApp(app, config);
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  console.log(`SMS gateway listening on http://${config.host}:${port} (docs at /docs)`);
}

bootstrap().catch(exitWith);
