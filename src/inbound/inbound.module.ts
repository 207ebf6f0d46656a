import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { InboundController } from './inbound.controller';
import { InboundService } from './inbound.service';

@Module({ imports: [MessagesModule], controllers: [InboundController], providers: [InboundService] })
export class InboundModule {}
