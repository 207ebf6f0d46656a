import { Inject, Injectable } from '@nestjs/common';
import { MESSAGING_PROVIDERS } from './messaging.constants';
import type { MessagingProvider } from './messaging-provider';

/** The configured providers, by name; the first configured is the default. */
@Injectable()
export class MessagingProviderRegistry {
  private readonly byName: ReadonlyMap<string, MessagingProvider>;

  constructor(@Inject(MESSAGING_PROVIDERS) private readonly providers: MessagingProvider[]) {
    this.byName = new Map(providers.map((p) => [p.name, p]));
  }

  get(name: string): MessagingProvider | undefined {
    return this.byName.get(name);
  }

  getDefault(): MessagingProvider | undefined {
    return this.providers[0];
  }

  names(): string[] {
    return this.providers.map((p) => p.name);
  }

  list(): readonly MessagingProvider[] {
    return this.providers;
  }
}
