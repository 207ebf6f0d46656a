import * as http from 'node:http';
import * as https from 'node:https';
import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { ConfigService } from '@nestjs/config';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookUrlPolicy } from './webhook-url.policy';

@Module({
  imports: [
    HttpModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        timeout: config.getOrThrow<AppConfig>(APP_CONFIG).webhookTimeoutMs,
        maxRedirects: 0,
        httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
        httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 256 }),
      }),
    }),
  ],
  providers: [WebhookDispatcher, WebhookDeliveriesRepository, WebhookUrlPolicy],
  exports: [WebhookDispatcher, WebhookDeliveriesRepository, WebhookUrlPolicy],
})
export class WebhooksModule {}
