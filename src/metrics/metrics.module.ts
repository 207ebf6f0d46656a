import { Global, Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** `MetricsService` for every module that counts something, and `GET /metrics`. */
@Global()
@Module({
  imports: [WebhooksModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
