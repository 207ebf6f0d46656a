import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ApplicationsController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [AccountsModule, PhoneNumbersModule, WebhooksModule],
  controllers: [ApplicationsController],
  providers: [ApplicationsService, ApplicationsRepository],
  exports: [ApplicationsService],
})
export class ApplicationsModule {}
