import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, ServerErrorFilter } from './server-error.filter';

describe(ServerErrorFilter.name, () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      'an admin shutdown, wrapped by TypeORM',
      new QueryFailedError(
        'SELECT 1',
        [],
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ],
    ['a connection exception SQLSTATE', Object.assign(new Error('connection failure'), { code: '08006' })],
  ])('treats %s as the database being unavailable', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505' }))],
    ['a syntax error', Object.assign(new Error('syntax error at or near'), { code: '42601' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', undefined],
  ])('leaves %s to the default handling', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
