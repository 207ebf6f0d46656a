import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from './logging.tokens';

/** Says when a shutdown starts (and why) and when it is done, so that operators can follow it. */
@Injectable()
export class ShutdownLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger: Logger;

  constructor(@Inject(ROOT_LOGGER) root: Logger) {
    this.logger = root.child({ context: 'Shutdown' });
  }

  beforeApplicationShutdown(signal?: string): void {
    this.logger.info(
      { signal },
      `stopping${signal ? ` on ${signal}` : ''}: no new connections; in-flight requests finish`,
    );
  }

  onApplicationShutdown(): void {
    this.logger.info('stopped');
  }
}
