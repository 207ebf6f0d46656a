import { lookup } from 'node:dns/promises';
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import { isIpLiteral, isNonPublicAddress } from '../common/ip-address';

/**
 * Which URLs the gateway may call applications at: http(s) only, and, with
 * BLOCK_PRIVATE_WEBHOOKS=true, none that points at a loopback, private or link-local address.
 * A URL is checked when it is saved and again, after DNS resolution, each time it is called.
 */
@Injectable()
export class WebhookUrlPolicy {
  private readonly blockPrivate: boolean;

  constructor(@Inject(ConfigService) config: ConfigService) {
    this.blockPrivate = config.getOrThrow<AppConfig>(APP_CONFIG).blockPrivateWebhooks;
  }

  /** The reason a URL is refused, or undefined when it may be called. */
  async refusal(url: string, resolve: boolean): Promise<string | undefined> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'is not a URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL';
    if (!this.blockPrivate) return undefined;
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host.endsWith('.localhost')) return 'points at a loopback address';
    if (isIpLiteral(host)) {
      return isNonPublicAddress(host) ? 'points at a loopback, private or link-local address' : undefined;
    }
    if (!resolve) return undefined;
    let addresses: Array<{ address: string }>;
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      return `host ${host} cannot be resolved`;
    }
    return addresses.some((a) => isNonPublicAddress(a.address))
      ? `host ${host} resolves to a loopback, private or link-local address`
      : undefined;
  }

  /** For a hook URL being saved: a 400 naming the field when it is refused. */
  async assertAllowed(url: string, field: string): Promise<void> {
    const reason = await this.refusal(url, true).catch(() => undefined);
    // A name that does not resolve yet may be saved; it is checked again when called.
    if (reason && !reason.includes('cannot be resolved')) {
      throw new BadRequestException({ msg: `${field} ${reason}` });
    }
  }

  /** Before each call; throws with the reason when the URL is refused. */
  async checkAtDelivery(url: string): Promise<void> {
    const reason = await this.refusal(url, true);
    if (reason) throw new Error(`refused: the URL ${reason}`);
  }
}
