import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-errors';

const coded = (code: string, message = 'failed'): Error =>
  Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    [
      'a server shutting down its sessions',
      coded('57P01', 'terminating connection due to administrator command'),
    ],
    ['a connection failure', coded('08006')],
    ['too many connections', coded('53300')],
    ['a connection that ended', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['a busy SQLite file', coded('SQLITE_BUSY', 'database is locked')],
    ['a wrapped driver error', new QueryFailedError('SELECT 1', [], coded('57P01'))],
    ['an error with a cause', new Error('query failed', { cause: coded('ECONNRESET') })],
  ])('says yes to %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], coded('23505', 'duplicate key'))],
    ['a value too long', new QueryFailedError('INSERT', [], coded('22001'))],
    ['a SQLite constraint', coded('SQLITE_CONSTRAINT_UNIQUE')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error at all', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('says no to %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
