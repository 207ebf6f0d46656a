/** The plug-in could not translate an inbound body: the provider gets a 400. */
export class InboundTranslationError extends Error {
  override readonly name = 'InboundTranslationError';
}

/**
 * A send failed: the plug-in threw, resolved to nothing, timed out, or the provider answered with
 * an error. `providerResponse` is what the provider said, when it said anything.
 */
export class ProviderSendError extends Error {
  override readonly name = 'ProviderSendError';
  constructor(
    message: string,
    readonly providerResponse?: unknown,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

export class PluginTimeoutError extends Error {
  override readonly name = 'PluginTimeoutError';
}
