import { Writable } from 'node:stream';
import { createRootLogger } from './logger-options';
import { isFatal, processErrorHandlers } from './process-errors';

function setup(shutdown: () => Promise<void> = async () => undefined) {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const exits: number[] = [];
  const handlers = processErrorHandlers({
    logger: createRootLogger('info', stream),
    shutdown,
    shutdownTimeoutMs: 50,
    exit: (code) => exits.push(code),
  });
  return { lines, exits, handlers };
}

const ioError = (code: string): Error => Object.assign(new Error(`socket: ${code}`), { code });

describe('isFatal', () => {
  it.each(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ENOTFOUND'])(
    'survives an isolated I/O error (%s)',
    (code) => expect(isFatal(ioError(code))).toBe(false),
  );

  it('survives an HTTP client error', () => {
    expect(isFatal(Object.assign(new Error('Request failed'), { isAxiosError: true }))).toBe(false);
  });

  it.each([
    ['a TypeError', new TypeError('x is undefined')],
    ['an error with another code', ioError('ERR_ASSERTION')],
    ['a thrown string', 'boom'],
    ['null', null],
  ])('stops on %s', (_what, err) => expect(isFatal(err)).toBe(true));
});

describe('process error handlers', () => {
  it('logs an unhandled rejection and keeps running', () => {
    const { lines, exits, handlers } = setup();
    handlers.onUnhandledRejection(new Error('nobody awaited me'));
    expect(exits).toEqual([]);
    expect(lines[0]).toMatchObject({
      level: 'error',
      context: 'Process',
      err: { message: 'nobody awaited me' },
    });
  });

  it('logs an isolated I/O error and keeps running', () => {
    const { lines, exits, handlers } = setup();
    handlers.onUncaughtException(ioError('ECONNRESET'));
    expect(exits).toEqual([]);
    expect(lines[0]).toMatchObject({ level: 'error', err: { code: 'ECONNRESET' } });
  });

  it('logs any other exception as fatal, closes the application and exits with 1', async () => {
    let closed = false;
    const { lines, exits, handlers } = setup(async () => {
      closed = true;
    });
    handlers.onUncaughtException(new TypeError('broken state'));
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(true);
    expect(exits).toEqual([1]);
    expect(lines[0]).toMatchObject({ level: 'fatal', err: { type: 'TypeError' } });
  });

  it('exits with 1 even when closing hangs', async () => {
    const { exits, handlers } = setup(() => new Promise(() => undefined));
    handlers.onUncaughtException(new TypeError('broken state'));
    await new Promise((r) => setTimeout(r, 120));
    expect(exits).toEqual([1]);
  });
});
