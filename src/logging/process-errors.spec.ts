import { Writable } from 'node:stream';
import { createRootLogger } from './logger-options';
import { processErrorHandlers } from './process-errors';

function setup() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const exits: unknown[] = [];
  const exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
    exits.push(code);
    return undefined as never;
  });
  const handlers = processErrorHandlers(createRootLogger('info', stream));
  return { lines, exits, handlers, restore: () => exit.mockRestore() };
}

const ioError = (code: string): Error => Object.assign(new Error(`socket: ${code}`), { code });

describe('process error handlers', () => {
  it('logs an unhandled rejection and keeps running', () => {
    const { lines, exits, handlers, restore } = setup();
    handlers.onUnhandledRejection(new Error('nobody awaited me'));
    restore();
    expect(exits).toEqual([]);
    expect(lines[0]).toMatchObject({
      level: 'error',
      context: 'Process',
      err: { message: 'nobody awaited me' },
    });
  });

  it.each([
    ['an isolated I/O error', ioError('ECONNRESET')],
    ['a TypeError', new TypeError('x is undefined')],
    ['a thrown string', 'boom'],
  ])('logs %s and keeps running', (_what, err) => {
    const { lines, exits, handlers, restore } = setup();
    handlers.onUncaughtException(err);
    restore();
    expect(exits).toEqual([]);
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: expect.stringContaining('keeps running'),
    });
  });
});
