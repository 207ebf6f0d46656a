import { Inject } from '@nestjs/common';

export const MESSAGING_MODULE_OPTIONS = Symbol('MESSAGING_MODULE_OPTIONS');
export const MESSAGING_PROVIDERS = Symbol('MESSAGING_PROVIDERS');

/** The injection token of the configured provider called `name` in JAMBONES_MESSAGING. */
export function getMessagingProviderToken(name: string): string {
  return `MessagingProvider:${name}`;
}

/** Injects the configured provider called `name` (a `MessagingProvider`). */
export const InjectMessagingProvider = (name: string): ParameterDecorator & PropertyDecorator =>
  Inject(getMessagingProviderToken(name));
