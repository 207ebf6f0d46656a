import { Module } from '@nestjs/common';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookUrlPolicy } from './webhook-url.policy';

@Module({
  providers: [WebhookDispatcher, WebhookDeliveriesRepository, WebhookUrlPolicy, WebhookHttpClient],
  exports: [WebhookDispatcher, WebhookDeliveriesRepository, WebhookUrlPolicy],
})
export class WebhooksModule {}
