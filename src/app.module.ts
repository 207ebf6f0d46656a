import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_CONFIG, type AppConfig } from './config/environment';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { DatabaseModule } from './database/database.module';
import { AuthModule } from './auth/auth.module';
import { MessagingModule, type MessagingModuleOptions } from './messaging/messaging.module';
import { MessagingProvidersController } from './messaging/messaging-providers.controller';
import { HealthModule } from './health/health.module';
import { AccountsModule } from './accounts/accounts.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { ApplicationsModule } from './applications/applications.module';
import { PhoneNumbersModule } from './phone-numbers/phone-numbers.module';
import { MessagesModule } from './messages/messages.module';
import { InboundModule } from './inbound/inbound.module';
import { VerbsModule } from './verbs/verbs.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { QuickstartModule } from './quickstart/quickstart.module';

@Module({})
export class AppModule {
  /** The whole gateway for one checked configuration (see `parseEnvironment`). */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [() => ({ [APP_CONFIG]: config })],
        }),
        LoggingModule,
        MetricsModule,
        DatabaseModule,
        AuthModule,
        MessagingModule.forRootAsync({
          providerNames: config.messaging.providers.map((p) => p.name),
          inject: [ConfigService],
          useFactory: (cs: ConfigService): MessagingModuleOptions => {
            const app = cs.getOrThrow<AppConfig>(APP_CONFIG);
            return { providers: app.messaging.providers, timeoutMs: app.providerTimeoutMs };
          },
        }),
        // The hot routes first: Express tries routes in the order they were registered.
        InboundModule,
        MessagesModule,
        HealthModule,
        AccountsModule,
        ApiKeysModule,
        ApplicationsModule,
        PhoneNumbersModule,
        VerbsModule,
        QuickstartModule,
      ],
      controllers: [MessagingProvidersController],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
          }),
        },
      ],
    };
  }
}
