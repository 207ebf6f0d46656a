import {
  collectSecrets,
  isSecretName,
  REDACTED,
  redactSecretQueryParams,
  redactSecrets,
  redactText,
  redactUrlCredentials,
  redactValues,
} from './redact';

describe('redact', () => {
  it.each([
    'password',
    'pass',
    'PASSWORD',
    'pwd',
    'secret',
    'clientSecret',
    'webhook_secret',
    'token',
    'authToken',
    'access_token',
    'api_key',
    'api-key',
    'apiKey',
    'key',
    'accessKey',
    'private_key',
    'credentials',
    'signature',
    'Authorization',
    'auth',
  ])('%s is a secret name', (name) => expect(isSecretName(name)).toBe(true));

  it.each(['url', 'username', 'user', 'from', 'region', 'timeout', 'account'])(
    '%s is not a secret name',
    (name) => expect(isSecretName(name)).toBe(false),
  );

  describe('redactUrlCredentials', () => {
    it('removes user and password from every URL in a text', () => {
      expect(
        redactUrlCredentials(
          'posting to https://bob:s3cr3t@api.example/x and http://tok@h.example',
        ),
      ).toBe(`posting to https://${REDACTED}@api.example/x and http://${REDACTED}@h.example`);
    });

    it('removes a password that holds @ entirely', () => {
      const out = redactUrlCredentials('https://bob:p@ss@api.example/path?x=1');
      expect(out).toBe(`https://${REDACTED}@api.example/path?x=1`);
    });

    it('leaves a URL without credentials and an @ in its path alone', () => {
      const url = 'https://api.example/users/@me?q=a@b';
      expect(redactUrlCredentials(url)).toBe(url);
    });
  });

  describe('redactSecretQueryParams', () => {
    it('replaces the values of secret parameters only', () => {
      expect(
        redactSecretQueryParams(
          'GET https://h.example/send.cgi?user=bob&pass=p%26w&api_key=k1&message=hi',
        ),
      ).toBe(
        `GET https://h.example/send.cgi?user=bob&pass=${REDACTED}&api_key=${REDACTED}&message=hi`,
      );
    });

    it('recognises an encoded parameter name', () => {
      expect(redactSecretQueryParams('https://h.example/?api%5Fkey=k1')).toBe(
        `https://h.example/?api%5Fkey=${REDACTED}`,
      );
    });
  });

  it('redactText does both', () => {
    expect(redactText('https://u:p@h.example/?token=abc&x=1')).toBe(
      `https://${REDACTED}@h.example/?token=${REDACTED}&x=1`,
    );
  });

  describe('redactSecrets', () => {
    it('copies a configuration with every secret replaced', () => {
      const config = {
        url: 'https://acct:url-pass@api.example/sms?api_key=q1&region=eu',
        auth: { username: 'user', password: 'pw', realm: 'r' },
        token: 't1',
        headers: { Authorization: 'Basic xyz', 'X-Trace': 'on' },
        list: [{ secret: 's' }, 'https://a:b@h.example/'],
        port: 443,
        enabled: true,
        nothing: null,
      };
      const before = JSON.stringify(config);
      expect(redactSecrets(config)).toEqual({
        url: `https://${REDACTED}@api.example/sms?api_key=${REDACTED}&region=eu`,
        auth: { username: 'user', password: REDACTED, realm: REDACTED },
        token: REDACTED,
        headers: { Authorization: REDACTED, 'X-Trace': 'on' },
        list: [{ secret: REDACTED }, `https://${REDACTED}@h.example/`],
        port: 443,
        enabled: true,
        nothing: null,
      });
      expect(JSON.stringify(config)).toBe(before);
    });

    it('hides an auth that is a string, and a secret that is an object', () => {
      expect(redactSecrets({ auth: 'bob:pw', secret: { a: 1 } })).toEqual({
        auth: REDACTED,
        secret: REDACTED,
      });
    });

    it('cleans URL credentials out of an auth username too', () => {
      expect(redactSecrets({ auth: { username: 'https://u:p@h.example' } })).toEqual({
        auth: { username: `https://${REDACTED}@h.example` },
      });
    });
  });

  describe('collectSecrets and redactValues', () => {
    const options = {
      url: 'https://acct:url-pass@api.example/sms?api_key=query-key&region=eu',
      auth: { username: 'the-user', password: 'auth-pass' },
      nested: { clientSecret: 'client-secret', keys: [{ token: 'list-token' }] },
      pin: { secret: 123456 },
      tiny: { password: 'pw' },
      region: 'eu-west-secret-region',
    };

    it('finds every value redactSecrets would hide, longest first', () => {
      const found = collectSecrets(options);
      // Each user and password pair also as an HTTP Basic header carries it.
      const basic = (pair: string): string => Buffer.from(pair).toString('base64');
      expect([...found].sort()).toEqual(
        [
          'auth-pass',
          'client-secret',
          'list-token',
          'query-key',
          'url-pass',
          '123456',
          basic('the-user:auth-pass'),
          basic('acct:url-pass'),
        ].sort(),
      );
      expect(found).not.toContain('the-user');
      // Too short to search for without wrecking ordinary text.
      expect(found).not.toContain('pw');
      const lengths = found.map((s) => s.length);
      expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    });

    it('takes a whole userinfo without a colon as the secret (a token in the URL)', () => {
      expect(collectSecrets({ url: 'https://tok-123456@h.example/' })).toEqual(['tok-123456']);
    });

    it('removes those values, raw or percent-encoded, from free text', () => {
      const secrets = collectSecrets({ auth: { username: 'u', password: 'p&ss word' } });
      expect(redactValues('failed with p&ss word, sent as p%26ss%20word', secrets)).toBe(
        `failed with ${REDACTED}, sent as ${REDACTED}`,
      );
    });

    it('treats a secret as text, not as a pattern', () => {
      expect(redactValues('a.b*c and aXbbbc', ['a.b*c'])).toBe(`${REDACTED} and aXbbbc`);
    });
  });
});
