import { ConfigurationError } from './configuration-error';
import { parseMessagingConfig } from './messaging-config';

function problem(raw: string): string {
  try {
    parseMessagingConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${raw}`);
}

describe('parseMessagingConfig', () => {
  it('reads no variable, or an empty one, as no provider', () => {
    expect(parseMessagingConfig(undefined)).toEqual({ providers: [] });
    expect(parseMessagingConfig('  ')).toEqual({ providers: [] });
    expect(parseMessagingConfig('{}')).toEqual({ providers: [] });
  });

  it('keeps the providers in the order of the keys, with their options', () => {
    const config = parseMessagingConfig(
      JSON.stringify({
        peerless: {
          module: '@jambonz/messaging-peerless',
          options: { url: 'https://p.example/submit', auth: { username: 'u', password: 'p' } },
        },
        '382com': { module: ' 382com ' },
        simwood_2: {
          module: 'simwood',
          options: {},
          inbound_auth: { allowed_sources: [' 10.0.0.0/8 '] },
        },
      }),
    );
    expect(config.providers).toEqual([
      {
        name: 'peerless',
        module: '@jambonz/messaging-peerless',
        options: { url: 'https://p.example/submit', auth: { username: 'u', password: 'p' } },
        inboundAuth: undefined,
      },
      { name: '382com', module: '382com', options: {}, inboundAuth: undefined },
      {
        name: 'simwood_2',
        module: 'simwood',
        options: {},
        inboundAuth: { allowedSources: ['10.0.0.0/8'] },
      },
    ]);
  });

  it('reads inbound_auth credentials', () => {
    const [p] = parseMessagingConfig(
      '{"p":{"module":"peerless","inbound_auth":{"username":"in","password":"pw"}}}',
    ).providers;
    expect(p?.inboundAuth).toEqual({ username: 'in', password: 'pw' });
  });

  it.each([
    ['not JSON', '{peerless:', 'JAMBONES_MESSAGING: is not valid JSON'],
    [
      'a JSON array',
      '[{"module":"peerless"}]',
      'JAMBONES_MESSAGING: must be a JSON object with one key per provider',
    ],
    [
      'a JSON string',
      '"peerless"',
      'JAMBONES_MESSAGING: must be a JSON object with one key per provider',
    ],
    ['JSON null', 'null', 'JAMBONES_MESSAGING: must be a JSON object with one key per provider'],
    [
      'an empty provider name',
      '{"":{"module":"peerless"}}',
      'JAMBONES_MESSAGING: a provider has an empty name',
    ],
    [
      'a name that cannot be a path segment',
      '{"a/b":{"module":"peerless"}}',
      'JAMBONES_MESSAGING: provider "a/b": the name may hold only letters, digits, ".", "_" and "-"',
    ],
    [
      'a name of digits only',
      '{"p":{"module":"peerless"},"2":{"module":"simwood"}}',
      'JAMBONES_MESSAGING: provider "2": the name must not be only digits',
    ],
    [
      'an entry that is not an object',
      '{"p":"peerless"}',
      'JAMBONES_MESSAGING: provider "p": must be an object with "module" and "options"',
    ],
    [
      'a missing module',
      '{"p":{"options":{}}}',
      'JAMBONES_MESSAGING: provider "p": "module" is missing',
    ],
    [
      'a module that is not a string',
      '{"p":{"module":7}}',
      'JAMBONES_MESSAGING: provider "p": "module" must be a non-empty string',
    ],
    [
      'an empty module',
      '{"p":{"module":" "}}',
      'JAMBONES_MESSAGING: provider "p": "module" must be a non-empty string',
    ],
    [
      'options that are an array',
      '{"p":{"module":"peerless","options":[]}}',
      'JAMBONES_MESSAGING: provider "p": "options" must be an object',
    ],
    [
      'options that are a string',
      '{"p":{"module":"peerless","options":"x"}}',
      'JAMBONES_MESSAGING: provider "p": "options" must be an object',
    ],
    [
      'options that are null',
      '{"p":{"module":"peerless","options":null}}',
      'JAMBONES_MESSAGING: provider "p": "options" must be an object',
    ],
    [
      'inbound_auth without a password',
      '{"p":{"module":"peerless","inbound_auth":{"username":"u"}}}',
      'JAMBONES_MESSAGING: provider "p": "inbound_auth" needs both "username" and "password" as strings',
    ],
    [
      'allowed_sources that are not a list',
      '{"p":{"module":"peerless","inbound_auth":{"allowed_sources":"10.0.0.1"}}}',
      'JAMBONES_MESSAGING: provider "p": "inbound_auth.allowed_sources" must be an array of addresses or CIDR ranges',
    ],
  ])('refuses %s with one line naming the problem', (_what, raw, message) => {
    expect(problem(raw)).toBe(message);
  });

  it('never repeats a secret from the variable in its error', () => {
    const secret = 'hunter2-secret';
    const raws = [
      `{"p":{"module":"peerless","options":{"auth":{"password":"${secret}"}}},"q":{"options":{}}}`,
      `{"p":{"module":"peerless","options":{"password":"${secret}"}`,
      `{"p":{"module":"peerless","options":{"url":"https://u:${secret}@h"}},"q":{"module":"x","options":5}}`,
    ];
    for (const raw of raws) expect(problem(raw)).not.toContain(secret);
  });
});
