import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import type { InboundAuthConfig } from '../config/messaging-config';
import { addressAllowed } from '../common/ip-address';
import { requestContextOf, withRequestId } from '../logging/request-context';
import { secretsEqual } from '../auth/token-hash';
import { MessagingService, ReceiveRejectedError } from '../messages/messaging.service';

/**
 * The HTTP face of `MessagingService.receive`: the provider's optional inbound authentication
 * (Basic credentials, allowed source addresses) first, then refusals become 400 or 404.
 */
@Injectable()
export class InboundService {
  private readonly logger = new Logger('Inbound');
  private readonly inboundAuth: ReadonlyMap<string, InboundAuthConfig>;

  constructor(
    private readonly messaging: MessagingService,
    @Inject(ConfigService) config: ConfigService,
  ) {
    const providers = config.getOrThrow<AppConfig>(APP_CONFIG).messaging.providers;
    this.inboundAuth = new Map(
      providers.flatMap((p) => (p.inboundAuth ? [[p.name, p.inboundAuth] as const] : [])),
    );
  }

  private authenticate(provider: string, req: Request): void {
    const auth = this.inboundAuth.get(provider);
    if (!auth) return;
    const source = req.socket.remoteAddress ?? '';
    if (auth.allowedSources && !addressAllowed(source, auth.allowedSources)) {
      this.logRefusal('warn', req, provider, `source ${source} is not allowed`);
      throw new ForbiddenException({ msg: 'this source address may not post to this provider webhook' });
    }
    if (auth.username !== undefined) {
      const header = req.headers.authorization ?? '';
      const m = /^Basic\s+(\S+)$/i.exec(header);
      const given = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : '';
      if (!secretsEqual(given, `${auth.username}:${auth.password ?? ''}`)) {
        this.logRefusal('warn', req, provider, 'missing or wrong credentials');
        req.res?.setHeader('WWW-Authenticate', `Basic realm="${provider}"`);
        throw new UnauthorizedException({ msg: 'missing or wrong credentials for this provider webhook' });
      }
    }
  }

  /** A refused inbound post, on a line that carries the request's id. */
  private logRefusal(level: 'warn' | 'log', req: Request, provider: string, reason: string): void {
    this.logger[level](withRequestId(requestContextOf(req), `inbound post for ${provider} refused: ${reason}`));
  }

  async receive(provider: string, req: Request): Promise<unknown> {
    this.authenticate(provider, req);
    const body: unknown = req.body;
    // Body parsers leave the body undefined when there is none or its type is not JSON or a form.
    if (body === undefined) {
      throw new BadRequestException({ msg: 'the body must be JSON or form-encoded (set Content-Type)' });
    }
    try {
      const result = await this.messaging.receive(provider, req.originalUrl, body, requestContextOf(req));
      return result.providerAnswer;
    } catch (err) {
      if (err instanceof ReceiveRejectedError) {
        this.logRefusal('log', req, provider, err.message);
        if (err.reason === 'untranslatable') throw new BadRequestException({ msg: err.message });
        throw new NotFoundException({ msg: err.message });
      }
      throw err;
    }
  }
}
