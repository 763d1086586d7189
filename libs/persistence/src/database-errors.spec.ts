import { isDataRefusedByDatabase, isTransientDatabaseError } from './database-errors';

describe(isTransientDatabaseError.name, () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '53300', message: 'too many connections' }],
    [{ code: '40P01', message: 'deadlock detected' }],
    // What the old primary answers writes with during a failover, until clients reconnect.
    [{ code: '25006', message: 'cannot execute INSERT in a read-only transaction' }],
    [{ message: 'query failed', driverError: { code: '25006', message: 'read-only transaction' } }],
    [new Error('Connection terminated unexpectedly')],
    [{ message: 'query failed', driverError: { code: '57P03', message: 'cannot connect now' } }],
  ])('should call %j transient', (error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '22P02', message: 'invalid input syntax for type uuid' }],
    [{ code: '42P01', message: 'relation does not exist' }],
    [new Error('something else')],
    [null],
    ['ECONNREFUSED'],
  ])('should not call %j transient', (error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});

describe(isDataRefusedByDatabase.name, () => {
  it.each([
    [{ code: '22P05', message: 'unsupported Unicode escape sequence' }],
    [{ code: '22P02', message: 'invalid input syntax for type json' }],
    [{ code: '54001', message: 'stack depth limit exceeded' }],
    [{ message: 'query failed', driverError: { code: '22001', message: 'value too long' } }],
  ])('should call %j refused data', (error) => {
    expect(isDataRefusedByDatabase(error)).toBe(true);
  });

  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '42P01', message: 'relation does not exist' }],
    [new Error('22P02')],
    [null],
  ])('should not call %j refused data', (error) => {
    expect(isDataRefusedByDatabase(error)).toBe(false);
  });
});
