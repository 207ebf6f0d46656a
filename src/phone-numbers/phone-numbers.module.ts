import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { NumberRouteCache } from './number-route.cache';
import { PhoneNumbersController } from './phone-numbers.controller';
import { PhoneNumbersRepository } from './phone-numbers.repository';
import { PhoneNumbersService } from './phone-numbers.service';

/** Exports PhoneNumbersService: inbound routing (findRoute) and the outbound owner check (findOwner). */
@Module({
  imports: [AccountsModule],
  controllers: [PhoneNumbersController],
  providers: [PhoneNumbersService, PhoneNumbersRepository, NumberRouteCache],
  exports: [PhoneNumbersService],
})
export class PhoneNumbersModule {}
