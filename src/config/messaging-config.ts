import { ConfigurationError } from './configuration-error';

export const MESSAGING_VARIABLE = 'JAMBONES_MESSAGING';

/** Optional protection of a provider's inbound webhook, beside `module` and `options`. */
export interface InboundAuthConfig {
  /** HTTP Basic credentials the provider must present. */
  username?: string;
  password?: string;
  /** Addresses or CIDR ranges the provider posts from; anything else is refused. */
  allowedSources?: string[];
}

export interface ProviderConfig {
  name: string;
  module: string;
  options: Record<string, unknown>;
  inboundAuth?: InboundAuthConfig;
}

export interface MessagingConfig {
  /** In the order of JAMBONES_MESSAGING's keys: the first is the default provider. */
  providers: ProviderConfig[];
}

function fail(problem: string, provider?: string): never {
  const who = provider === undefined ? '' : ` provider "${provider}":`;
  throw new ConfigurationError(`${MESSAGING_VARIABLE}:${who} ${problem}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseInboundAuth(name: string, raw: unknown): InboundAuthConfig | undefined {
  if (raw === undefined) return undefined;
  if (!isPlainObject(raw)) fail('"inbound_auth" must be an object', name);
  const auth: InboundAuthConfig = {};
  const { username, password, allowed_sources: allowedSources } = raw;
  if (username !== undefined || password !== undefined) {
    if (typeof username !== 'string' || username === '' || typeof password !== 'string') {
      fail('"inbound_auth" needs both "username" and "password" as strings', name);
    }
    auth.username = username;
    auth.password = password;
  }
  if (allowedSources !== undefined) {
    if (
      !Array.isArray(allowedSources) ||
      !allowedSources.every((s): s is string => typeof s === 'string' && s.trim() !== '')
    ) {
      fail('"inbound_auth.allowed_sources" must be an array of addresses or CIDR ranges', name);
    }
    auth.allowedSources = allowedSources.map((s) => s.trim());
  }
  return auth;
}

/**
 * Parses and checks the shape of JAMBONES_MESSAGING. Loading the modules it names happens later,
 * in the messaging module; both report problems the same way, as one line naming the variable.
 */
export function parseMessagingConfig(raw: string | undefined): MessagingConfig {
  if (raw === undefined || raw.trim() === '') return { providers: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    fail('is not valid JSON');
  }
  if (!isPlainObject(parsed)) fail('must be a JSON object with one key per provider');
  const providers: ProviderConfig[] = [];
  for (const [name, entry] of Object.entries(parsed)) {
    if (name.trim() === '') fail('a provider has an empty name');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      fail('the name may hold only letters, digits, ".", "_" and "-"', name);
    }
    if (/^\d+$/.test(name)) {
      // JavaScript objects list integer-like keys first, so the order (and the default) would be lost.
      fail('the name must not be only digits', name);
    }
    if (!isPlainObject(entry)) fail('must be an object with "module" and "options"', name);
    const { module, options } = entry;
    if (module === undefined) fail('"module" is missing', name);
    if (typeof module !== 'string' || module.trim() === '') {
      fail('"module" must be a non-empty string', name);
    }
    if (options !== undefined && !isPlainObject(options)) fail('"options" must be an object', name);
    providers.push({
      name,
      module: module.trim(),
      options: options ?? {},
      inboundAuth: parseInboundAuth(name, entry.inbound_auth),
    });
  }
  return { providers };
}
