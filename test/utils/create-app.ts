import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { parseEnvironment, type AppConfig } from '../../src/config/environment';
import { createTestDatabase, type TestDatabase } from './test-database';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestApp {
  app: INestApplication;
  /** http://127.0.0.1:<port> of the running gateway. */
  baseUrl: string;
  config: AppConfig;
  db: TestDatabase;
  /** Closes the gateway; drops the database unless `keepDatabase`. */
  close(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  /** Reuse a database (for restarts); otherwise a fresh one. */
  db?: TestDatabase;
  /** A SQLite file instead of memory, so the data outlives the process. */
  sqliteFile?: string;
}

/** Boots the real AppModule on 127.0.0.1 with a random port, as main.ts does. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase(options.sqliteFile));
  const config = parseEnvironment({
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'error',
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_RETRY_MAX_MS: '400',
    WEBHOOK_POLL_MS: '50',
    WEBHOOK_TIMEOUT_MS: '2000',
    PROVIDER_TIMEOUT_MS: '2000',
    ...options.env,
    DATABASE_URL: options.env?.DATABASE_URL ?? db.url,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    db,
    close: async (opts) => {
      await app.close();
      if (!opts?.keepDatabase) await db.drop();
    },
  };
}
