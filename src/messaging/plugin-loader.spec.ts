import { join, relative } from 'node:path';
import { providerHttpClient } from '../../test/utils/provider-kit';
import { ConfigurationError } from '../config/configuration-error';
import type { ProviderConfig } from '../config/messaging-config';
import { isBuiltinModule, loadPlugin } from './plugin-loader';
import { Com382Plugin } from './plugins/com382.plugin';
import { PeerlessPlugin } from './plugins/peerless.plugin';
import { SandboxPlugin } from './plugins/sandbox.plugin';
import { SimwoodPlugin } from './plugins/simwood.plugin';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'plugins');
const ROOT = join(__dirname, '..', '..');
const http = providerHttpClient();
const entry = (module: string, name = 'acme'): ProviderConfig => ({ name, module, options: {} });

function loadError(module: string, cwd = ROOT): ConfigurationError {
  try {
    loadPlugin(entry(module), http, cwd);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return err as ConfigurationError;
  }
  throw new Error(`${module} loaded`);
}

describe('loadPlugin', () => {
  it.each([
    ['peerless', PeerlessPlugin],
    ['@jambonz/messaging-peerless', PeerlessPlugin],
    ['382com', Com382Plugin],
    ['@jambonz/messaging-382com', Com382Plugin],
    ['simwood', SimwoodPlugin],
    ['@jambonz/messaging-simwood', SimwoodPlugin],
    ['sandbox', SandboxPlugin],
  ])('gives the built-in for %s, a new instance each time', (module, type) => {
    expect(isBuiltinModule(module)).toBe(true);
    const first = loadPlugin(entry(module), http);
    expect(first).toBeInstanceOf(type);
    expect(loadPlugin(entry(module), http)).not.toBe(first);
  });

  it('loads a module by absolute path', () => {
    const plugin = loadPlugin(entry(join(FIXTURES, 'seed-contract.js')), http);
    expect(typeof plugin.fromProviderFormat).toBe('function');
    expect(typeof plugin.formatProviderResponse).toBe('function');
    expect(isBuiltinModule(join(FIXTURES, 'seed-contract.js'))).toBe(false);
  });

  it('loads a module by a path relative to the working directory given', () => {
    const fromRoot = loadPlugin(entry('./test/fixtures/plugins/seed-contract.js'), http, ROOT);
    const fromSrc = loadPlugin(
      entry(`./${relative(join(ROOT, 'src'), join(FIXTURES, 'seed-contract'))}`),
      http,
      join(ROOT, 'src'),
    );
    expect(fromSrc).toBe(fromRoot);
  });

  it('takes the functions from `default` when the module is a compiled ES module', async () => {
    const plugin = loadPlugin(entry(join(FIXTURES, 'default-export.js')), http);
    expect(await plugin.sendSms({ logger: console }, { from: '1', to: '2' })).toEqual({
      id: 'default-2',
    });
  });

  it.each([
    ['a package name', 'no-such-sms-plugin', 'module "no-such-sms-plugin" could not be found'],
    [
      'an absolute path',
      join(FIXTURES, 'missing.js'),
      `module "${join(FIXTURES, 'missing.js')}" could not be found`,
    ],
    [
      'a relative path',
      './test/fixtures/plugins/missing.js',
      'module "./test/fixtures/plugins/missing.js" could not be found',
    ],
  ])('refuses a module that is not there, by %s', (_how, module, problem) => {
    expect(loadError(module).message).toBe(`JAMBONES_MESSAGING: provider "acme": ${problem}`);
  });

  it('resolves a package name like Node does (an installed package that is no plug-in)', () => {
    expect(loadError('bent').message).toBe(
      'JAMBONES_MESSAGING: provider "acme": module "bent" does not export a fromProviderFormat function',
    );
  });

  it.each([
    ['no-from-provider-format.js', 'does not export a fromProviderFormat function'],
    ['no-send-sms.js', 'does not export a sendSms function'],
    ['bad-format-provider-response.js', 'exports a formatProviderResponse that is not a function'],
    ['exports-nothing.js', 'exports nothing usable'],
  ])('refuses %s: it %s', (file, problem) => {
    const module = join(FIXTURES, file);
    expect(loadError(module).message).toBe(
      `JAMBONES_MESSAGING: provider "acme": module "${module}" ${problem}`,
    );
  });

  it('reports a module that fails to load with the first line of its error only', () => {
    const module = join(FIXTURES, 'throws-on-load.js');
    expect(loadError(module).message).toBe(
      `JAMBONES_MESSAGING: provider "acme": module "${module}" failed to load: this plug-in cannot start`,
    );
  });
});
