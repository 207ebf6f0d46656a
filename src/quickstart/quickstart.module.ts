import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ApplicationsModule } from '../applications/applications.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { QuickstartService } from './quickstart.service';

@Module({
  imports: [AccountsModule, ApiKeysModule, ApplicationsModule, PhoneNumbersModule],
  providers: [QuickstartService],
  exports: [QuickstartService],
})
export class QuickstartModule {}
