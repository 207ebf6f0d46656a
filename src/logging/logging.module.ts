import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import { GatewayLogger } from './gateway-logger';
import { createRootLogger, requestLogger, type RequestLogger } from './logger-options';
import { HTTP_LOGGER, ROOT_LOGGER } from './logging.tokens';
import { ShutdownLog } from './shutdown-log';

export { HTTP_LOGGER, ROOT_LOGGER };

/**
 * Structured JSON logs through one pino instance. `configureApp` mounts `HTTP_LOGGER` in front of
 * everything else (so that even a request refused by the body parser is logged and gets its id);
 * `GatewayLogger` is Nest's logger; lines logged about a request carry its `reqId` (see
 * `request-context.ts`).
 */
@Global()
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [ConfigService],
      useFactory: (config: ConfigService): Logger =>
        createRootLogger(config.getOrThrow<AppConfig>(APP_CONFIG).logLevel),
    },
    {
      provide: HTTP_LOGGER,
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger): RequestLogger => requestLogger(logger),
    },
    GatewayLogger,
    ShutdownLog,
  ],
  exports: [ROOT_LOGGER, HTTP_LOGGER, GatewayLogger],
})
export class LoggingModule {}
