import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { MessagingService } from './messaging.service';

@Module({
  imports: [AccountsModule, PhoneNumbersModule, WebhooksModule],
  controllers: [MessagesController],
  providers: [MessagingService, MessagesRepository, MessagesService],
  exports: [MessagingService, MessagesRepository],
})
export class MessagesModule {}
