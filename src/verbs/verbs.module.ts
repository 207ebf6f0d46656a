import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { VerbsService } from './verbs.service';

@Module({ imports: [MessagesModule, WebhooksModule], providers: [VerbsService] })
export class VerbsModule {}
