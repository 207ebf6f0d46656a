import { collectSecrets, redactSecrets, redactText, redactValues } from '../common/redact';
import type {
  MessagingPlugin,
  PluginLogger,
  PluginOptions,
  ProviderCapabilities,
  StandardInboundMessage,
  StandardOutboundMessage,
} from './messaging-plugin.interface';
import { InboundTranslationError, PluginTimeoutError, ProviderSendError } from './plugin-errors';

export interface MessagingProviderInit {
  name: string;
  module: string;
  isDefault: boolean;
  plugin: MessagingPlugin;
  options: Record<string, unknown>;
  logger: PluginLogger;
  timeoutMs: number;
}

/** A plug-in may reject with anything; this says what, in words. */
function reasonText(reason: unknown): string {
  if (reason === undefined || reason === null || reason === '') return 'failed without a reason';
  if (typeof reason === 'object') {
    try {
      return JSON.stringify(reason);
    } catch {
      return 'failed with an unreadable reason';
    }
  }
  if (typeof reason === 'string') return reason;
  if (typeof reason === 'number' || typeof reason === 'boolean' || typeof reason === 'bigint') {
    return reason.toString();
  }
  return 'failed with an unreadable reason';
}

/** What a plug-in threw or rejected with, as an Error. */
const asError = (reason: unknown): Error =>
  reason instanceof Error ? reason : new Error(reasonText(reason));

/**
 * Runs a plug-in function with a deadline. A function that answers at once (no promise) has
 * nothing to time out and needs no timer; a promise is raced against `ms`.
 */
function withTimeout<T>(work: () => T | Promise<T>, ms: number, what: string): Promise<T> {
  let result: T | Promise<T>;
  try {
    result = work();
  } catch (err) {
    return Promise.reject(asError(err));
  }
  if (!isThenable(result)) return Promise.resolve(result);
  const pending = result;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new PluginTimeoutError(`${what} timed out after ${ms} ms`)),
      ms,
    );
    timer.unref();
    Promise.resolve(pending).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(asError(err));
      },
    );
  });
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** One line of a plug-in's error, fit for a log or an API answer: no stack, no secret. */
function errorText(err: unknown, secrets: readonly string[]): string {
  const text = err instanceof Error ? err.message : reasonText(err);
  const line = redactValues(redactText(text.split('\n')[0] ?? ''), secrets).slice(0, 500);
  return line.trim() === '' ? 'failed without a reason' : line;
}

/**
 * A provider's answer with the provider's configured secrets taken out of every string: it is
 * stored and shown to API callers, and some providers echo the request (credentials included).
 */
function withoutSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redactValues(value, secrets);
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, secrets));
  if (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withoutSecrets(v, secrets)]),
    );
  }
  return value;
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.filter((v) => v !== '');
  }
  return undefined;
}

/**
 * One configured provider: a plug-in bound to its own options. It adapts any plug-in (typed or
 * plain JavaScript, sync or async, two- or three-argument `fromProviderFormat`) to one typed,
 * time-bounded interface, and turns every kind of failure into an error the caller can see.
 */
export class MessagingProvider {
  readonly name: string;
  readonly module: string;
  readonly isDefault: boolean;
  readonly capabilities: ProviderCapabilities;
  private readonly plugin: MessagingPlugin;
  private readonly opts: PluginOptions;
  /** As configured, kept apart from `opts`, which the plug-in may change. */
  private readonly configuredOptions: Record<string, unknown>;
  private readonly secrets: readonly string[];
  private readonly timeoutMs: number;

  constructor(init: MessagingProviderInit) {
    this.name = init.name;
    this.module = init.module;
    this.isDefault = init.isDefault;
    this.plugin = init.plugin;
    this.timeoutMs = init.timeoutMs;
    // Each provider gets its own copy, so a plug-in that mutates its options cannot affect another.
    this.opts = { ...structuredClone(init.options), logger: init.logger };
    this.configuredOptions = structuredClone(init.options);
    this.secrets = collectSecrets(init.options);
    this.capabilities = {
      receive: typeof init.plugin.fromProviderFormat === 'function',
      send: typeof init.plugin.sendSms === 'function',
      customInboundResponse: typeof init.plugin.formatProviderResponse === 'function',
    };
  }

  /** The options as configured, with every secret replaced. */
  redactedOptions(): unknown {
    return redactSecrets(this.configuredOptions);
  }

  /** Translates a provider's inbound body; throws `InboundTranslationError` when it cannot. */
  async translateInbound(url: string, payload: unknown): Promise<StandardInboundMessage> {
    const fn = this.plugin.fromProviderFormat.bind(this.plugin);
    let result: unknown;
    try {
      result = await withTimeout(
        () =>
          // The published plug-ins declare (opts, payload); the seed document says (opts, url, payload).
          this.plugin.fromProviderFormat.length >= 3
            ? fn(this.opts, url, payload)
            : (fn as unknown as (o: PluginOptions, p: unknown) => unknown)(this.opts, payload),
        this.timeoutMs,
        `${this.name} fromProviderFormat`,
      );
    } catch (err) {
      throw new InboundTranslationError(
        `the ${this.name} plug-in could not read the body: ${errorText(err, this.secrets)}`,
      );
    }
    if (typeof result !== 'object' || result === null) {
      throw new InboundTranslationError(`the ${this.name} plug-in found no message in the body`);
    }
    const r = result as Record<string, unknown>;
    const to = stringList(r.to);
    const cc = stringList(r.cc);
    const media = stringList(r.media);
    if (typeof r.from !== 'string' || r.from.trim() === '') {
      throw new InboundTranslationError('the message has no "from" number');
    }
    if (to === undefined || to.length === 0) {
      throw new InboundTranslationError('the message has no "to" number');
    }
    if (cc === undefined) throw new InboundTranslationError('"cc" is not a list of numbers');
    if (media === undefined) throw new InboundTranslationError('"media" is not a list of URLs');
    if (r.text !== undefined && r.text !== null && typeof r.text !== 'string') {
      throw new InboundTranslationError('"text" is not a string');
    }
    return {
      ...(typeof r.messageSid === 'string' ? { messageSid: r.messageSid } : {}),
      from: r.from,
      to,
      cc,
      text: typeof r.text === 'string' ? r.text : '',
      media,
    };
  }

  /** The JSON body for the 200 answer to the provider's inbound POST. */
  async inboundResponse(messageSid: string): Promise<unknown> {
    if (typeof this.plugin.formatProviderResponse !== 'function') return {};
    const fn = this.plugin.formatProviderResponse.bind(this.plugin);
    try {
      const body = await withTimeout(
        () => fn(messageSid),
        this.timeoutMs,
        `${this.name} formatProviderResponse`,
      );
      return body ?? {};
    } catch (err) {
      this.opts.logger.error(
        { messageSid, err: errorText(err, this.secrets) },
        'formatProviderResponse failed; answering {}',
      );
      return {};
    }
  }

  /** Sends through the plug-in; resolves to the provider's response or throws `ProviderSendError`. */
  async send(message: StandardOutboundMessage): Promise<unknown> {
    const fn = this.plugin.sendSms.bind(this.plugin);
    let response: unknown;
    try {
      response = await withTimeout(
        () => fn(this.opts, message),
        this.timeoutMs,
        `${this.name} sendSms`,
      );
    } catch (err) {
      const timedOut =
        err instanceof PluginTimeoutError || (err instanceof ProviderSendError && err.timedOut);
      const providerResponse = (err as { providerResponse?: unknown }).providerResponse;
      throw new ProviderSendError(
        errorText(err, this.secrets),
        withoutSecrets(providerResponse, this.secrets),
        timedOut,
      );
    }
    if (response === undefined) {
      throw new ProviderSendError(
        `the ${this.name} plug-in returned no response: the send is not confirmed`,
      );
    }
    return withoutSecrets(response, this.secrets);
  }
}
