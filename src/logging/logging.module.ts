import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import { GatewayLogger } from './gateway-logger';
import { createRootLogger, httpLoggerOptions } from './logger-options';
import { HTTP_LOGGER, ROOT_LOGGER } from './logging.tokens';
import { ShutdownLog } from './shutdown-log';

export { HTTP_LOGGER, ROOT_LOGGER };

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
      useFactory: (logger: Logger): HttpLogger => pinoHttp(httpLoggerOptions(logger)),
    },
  ],
  exports: [ROOT_LOGGER, HTTP_LOGGER],
})
class PinoRootModule {}

/**
 * Structured JSON logs. `configureApp` mounts `HTTP_LOGGER` in front of everything else (so that
 * even a request refused by the body parser is logged and gets its id); nestjs-pino's `Logger`
 * then writes through the same pino instance, and lines logged while a request runs carry its
 * `reqId`.
 */
@Global()
@Module({
  imports: [
    PinoRootModule,
    LoggerModule.forRootAsync({
      imports: [PinoRootModule],
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger) => ({ pinoHttp: { logger }, useExisting: true as const }),
    }),
  ],
  providers: [GatewayLogger, ShutdownLog],
  exports: [PinoRootModule, LoggerModule, GatewayLogger],
})
export class LoggingModule {}
