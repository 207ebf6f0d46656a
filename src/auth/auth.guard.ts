import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { AUTH_SCOPE, type AuthenticatedRequest, type AuthScope } from './auth.decorators';
import { digestsEqual, secretDigest } from './token-hash';

/**
 * `Authorization: Bearer <token>` on every route that is not public: the admin key from the
 * environment, or an account's API key (looked up by its hash).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** The admin key's digest, made once: a request's token is hashed once and compared with it. */
  private readonly adminKeyDigest?: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ConfigService) config: ConfigService,
    private readonly apiKeys: ApiKeysRepository,
  ) {
    const adminKey = config.getOrThrow<AppConfig>(APP_CONFIG).adminApiKey;
    if (adminKey !== undefined) this.adminKeyDigest = secretDigest(adminKey);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope =
      this.reflector.getAllAndOverride<AuthScope | undefined>(AUTH_SCOPE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'account';
    if (scope === 'public') return true;
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1])
      throw new UnauthorizedException({
        msg: 'missing bearer token: send Authorization: Bearer <api key>',
      });
    const digest = secretDigest(match[1]);
    if (this.adminKeyDigest !== undefined && digestsEqual(digest, this.adminKeyDigest)) {
      req.principal = { kind: 'admin' };
      return true;
    }
    // The stored form of the token (`hashToken`), from the digest already made.
    const key = await this.apiKeys.findByTokenHash(digest.toString('hex'));
    if (!key) throw new UnauthorizedException({ msg: 'invalid API key' });
    if (scope === 'admin')
      throw new ForbiddenException({ msg: 'this endpoint needs the admin API key' });
    req.principal = { kind: 'account', accountSid: key.account_sid, keySid: key.sid };
    return true;
  }
}
