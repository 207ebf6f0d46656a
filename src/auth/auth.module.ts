import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { AuthGuard } from './auth.guard';

@Global()
@Module({
  providers: [ApiKeysRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ApiKeysRepository],
})
export class AuthModule {}
