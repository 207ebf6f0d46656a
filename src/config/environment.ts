import { isIP } from 'node:net';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { ConfigurationError } from './configuration-error';
import { parseMessagingConfig, type MessagingConfig } from './messaging-config';

export type DatabaseConfig =
  { type: 'sqlite'; database: string } | { type: 'postgres'; url: string };

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  adminApiKey?: string;
  defaultCountry: CountryCode;
  logLevel: string;
  blockPrivateWebhooks: boolean;
  /** Upper bound of one plug-in call (translation or send), in milliseconds. */
  providerTimeoutMs: number;
  /** Upper bound of one call to an application's webhook, in milliseconds. */
  webhookTimeoutMs: number;
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** How often pending deliveries are looked for (retries, and work left by a stopped process). */
  webhookPollMs: number;
  /** Largest accepted request body, as understood by body-parser (`100kb`, `1mb`). */
  bodyLimit: string;
  /** How far above what a full garbage collection kept the V8 heap may grow; 0: V8's own choice. */
  heapGrowingPercent: number;
  quickstart: boolean;
  messaging: MessagingConfig;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`${name}: must be an integer of at least ${min}`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return false;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigurationError(`${name}: must be true or false`);
}

export function parseDatabaseUrl(raw: string | undefined): DatabaseConfig {
  const url = raw === undefined || raw === '' ? 'sqlite:data/messaging.sqlite' : raw;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    try {
      new URL(url);
    } catch {
      throw new ConfigurationError('DATABASE_URL: is not a valid postgres:// URL');
    }
    return { type: 'postgres', url };
  }
  if (url.startsWith('sqlite:')) {
    const database = url.slice('sqlite:'.length);
    if (database === '') throw new ConfigurationError('DATABASE_URL: sqlite: needs a file path');
    return { type: 'sqlite', database };
  }
  throw new ConfigurationError(
    'DATABASE_URL: must be sqlite:<file>, sqlite::memory: or postgres://user:pass@host:port/db',
  );
}

/** Reads the whole environment once into a typed, checked object. */
export function parseEnvironment(env: NodeJS.ProcessEnv): AppConfig {
  const defaultCountry = (env.DEFAULT_COUNTRY || 'US').toUpperCase();
  if (!(getCountries() as string[]).includes(defaultCountry)) {
    throw new ConfigurationError('DEFAULT_COUNTRY: must be an ISO 3166 country code such as US');
  }
  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigurationError(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const host = env.HOST || '0.0.0.0';
  if (isIP(host) === 0 && host !== 'localhost') {
    throw new ConfigurationError('HOST: must be an IP address');
  }
  const adminApiKey = env.ADMIN_API_KEY?.trim() || undefined;
  return {
    port: integer(env, 'PORT', 3000, 0),
    host,
    database: parseDatabaseUrl(env.DATABASE_URL),
    adminApiKey,
    defaultCountry: defaultCountry as CountryCode,
    logLevel,
    blockPrivateWebhooks: bool(env, 'BLOCK_PRIVATE_WEBHOOKS'),
    providerTimeoutMs: integer(env, 'PROVIDER_TIMEOUT_MS', 10000, 1),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 5000, 1),
    webhookMaxAttempts: integer(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1),
    webhookRetryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 1000, 1),
    webhookRetryMaxMs: integer(env, 'WEBHOOK_RETRY_MAX_MS', 300000, 1),
    webhookPollMs: integer(env, 'WEBHOOK_POLL_MS', 1000, 10),
    bodyLimit: env.BODY_LIMIT || '100kb',
    heapGrowingPercent: integer(env, 'HEAP_GROWING_PERCENT', 15, 0),
    quickstart: bool(env, 'QUICKSTART'),
    messaging: parseMessagingConfig(env.JAMBONES_MESSAGING),
  };
}

export const APP_CONFIG = 'app';
