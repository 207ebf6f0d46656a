import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from '../config/configuration-error';
import { MESSAGING_VARIABLE, type ProviderConfig } from '../config/messaging-config';
import type { MessagingPlugin } from './messaging-plugin.interface';
import { Com382Plugin } from './plugins/com382.plugin';
import { PeerlessPlugin } from './plugins/peerless.plugin';
import { SandboxPlugin } from './plugins/sandbox.plugin';
import { SimwoodPlugin } from './plugins/simwood.plugin';
import type { ProviderHttpClient } from './provider-http.client';

type BuiltinFactory = (http: ProviderHttpClient) => MessagingPlugin;

/** Built-in plug-ins by short id and by the npm name of the plug-in they replace. */
const BUILTINS: Record<string, BuiltinFactory> = {
  peerless: (http) => new PeerlessPlugin(http),
  '@jambonz/messaging-peerless': (http) => new PeerlessPlugin(http),
  '382com': (http) => new Com382Plugin(http),
  '@jambonz/messaging-382com': (http) => new Com382Plugin(http),
  simwood: (http) => new SimwoodPlugin(http),
  '@jambonz/messaging-simwood': (http) => new SimwoodPlugin(http),
  sandbox: () => new SandboxPlugin(),
};

export function isBuiltinModule(module: string): boolean {
  return Object.hasOwn(BUILTINS, module);
}

function fail(provider: string, problem: string): never {
  throw new ConfigurationError(`${MESSAGING_VARIABLE}: provider "${provider}": ${problem}`);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

function requireExternal(provider: string, module: string, cwd: string): unknown {
  const isPath =
    isAbsolute(module) || module.startsWith('./') || module.startsWith('../') || module === '.';
  let resolved: string;
  try {
    resolved = require.resolve(isPath ? resolve(cwd, module) : module, { paths: [cwd] });
  } catch {
    fail(provider, `module "${module}" could not be found`);
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(resolved);
  } catch (err) {
    fail(provider, `module "${module}" failed to load: ${firstLine(err)}`);
  }
}

/**
 * Gives the plug-in for one JAMBONES_MESSAGING entry: a new instance of a built-in, or the
 * exports of an external module (an installed package, an absolute path, or a path relative to
 * `cwd`) once it is checked to have the functions of the contract.
 */
export function loadPlugin(
  config: ProviderConfig,
  http: ProviderHttpClient,
  cwd = process.cwd(),
): MessagingPlugin {
  const builtin = BUILTINS[config.module];
  if (builtin) return builtin(http);
  let exported = requireExternal(config.name, config.module, cwd) as Record<string, unknown> | null;
  if (
    exported &&
    typeof exported === 'object' &&
    typeof exported.fromProviderFormat !== 'function'
  ) {
    const fallback = exported.default as Record<string, unknown> | undefined;
    if (fallback && typeof fallback === 'object') exported = fallback;
  }
  if (!exported || (typeof exported !== 'object' && typeof exported !== 'function')) {
    fail(config.name, `module "${config.module}" exports nothing usable`);
  }
  if (typeof exported.fromProviderFormat !== 'function') {
    fail(config.name, `module "${config.module}" does not export a fromProviderFormat function`);
  }
  if (typeof exported.sendSms !== 'function') {
    fail(config.name, `module "${config.module}" does not export a sendSms function`);
  }
  if (
    exported.formatProviderResponse !== undefined &&
    typeof exported.formatProviderResponse !== 'function'
  ) {
    fail(
      config.name,
      `module "${config.module}" exports a formatProviderResponse that is not a function`,
    );
  }
  return exported as unknown as MessagingPlugin;
}
