import { Logger } from '@nestjs/common';
import { createPluginLogger } from './plugin-logger';

describe('createPluginLogger', () => {
  let written: Array<[string, string]>;
  beforeEach(() => {
    written = [];
    const keep = (level: string) => (message: unknown) =>
      void written.push([level, String(message)]);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(keep('log'));
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(keep('debug'));
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(keep('warn'));
    jest.spyOn(Logger.prototype, 'error').mockImplementation(keep('error'));
  });
  afterEach(() => jest.restoreAllMocks());

  it('has info, debug, warn and error in the pino style (object, message)', () => {
    const logger = createPluginLogger('acme');
    logger.info({ n: 1 }, 'sent');
    logger.debug('just text');
    logger.warn!({ a: 'b' });
    logger.error({ err: new Error('boom\n    at x.js:1') }, 'send failed');
    expect(written).toEqual([
      ['log', 'sent'],
      ['debug', 'just text'],
      ['warn', '{"a":"b"}'],
      ['error', 'send failed: boom'],
    ]);
  });

  it('writes no configured secret and no URL credentials, even from a whole options object', () => {
    const options = {
      url: 'https://acct:url-pass@api.example/x',
      auth: { username: 'u', password: 'auth-pass' },
    };
    const logger = createPluginLogger('acme', ['auth-pass', 'url-pass']);
    logger.info(options);
    logger.error({ err: new Error('rejected auth-pass'), url: options.url }, 'Error sending SMS');
    logger.debug({ payload: { from: '1' } }, 'calling https://u:url-pass@api.example/?token=abc');
    const all = written.map(([, line]) => line).join('\n');
    expect(all).not.toMatch(/auth-pass|url-pass|token=abc/);
    expect(written[1]).toEqual(['error', 'Error sending SMS: rejected [REDACTED]']);
  });

  it('survives objects JSON cannot write', () => {
    const logger = createPluginLogger('acme');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => logger.info(circular)).not.toThrow();
    expect(() => logger.info(undefined)).not.toThrow();
    expect(written).toHaveLength(2);
  });
});
