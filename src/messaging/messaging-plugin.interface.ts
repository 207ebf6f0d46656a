/**
 * The plug-in contract of the jambonz SMS design. A plug-in translates one provider's HTTP API to
 * and from the standard message format. Plug-ins written in plain JavaScript may implement any
 * function synchronously or asynchronously; `MessagingProvider` adapts them.
 */

/** The standard format of an inbound message, as a plug-in's `fromProviderFormat` yields it. */
export interface StandardInboundMessage {
  messageSid?: string;
  from: string;
  to: string[];
  cc: string[];
  text: string;
  media: string[];
}

/** The standard format of an outbound message, as given to a plug-in's `sendSms`. */
export interface StandardOutboundMessage {
  /** The gateway's id of this message, so a provider that takes a client reference can use it. */
  messageSid?: string;
  from: string;
  to: string;
  text?: string;
  media?: string[];
}

export interface PluginLogger {
  info(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  warn?(obj: unknown, msg?: string): void;
}

/** `options` from JAMBONES_MESSAGING, plus a logger, as every plug-in function receives it. */
export type PluginOptions = Record<string, unknown> & { logger: PluginLogger };

export interface MessagingPlugin {
  /** May return its result or a promise of it. */
  fromProviderFormat(opts: PluginOptions, url: string, payload: unknown): unknown;
  /** May return its result or a promise of it. */
  formatProviderResponse?(messageSid: string): unknown;
  /** May return its result or a promise of it; a result of `undefined` is a failed send. */
  sendSms(opts: PluginOptions, payload: StandardOutboundMessage): unknown;
}

export interface ProviderCapabilities {
  receive: boolean;
  send: boolean;
  customInboundResponse: boolean;
}
