import { LoggerService } from '@nestjs/common';
import { logProcessWarnings } from './process-warnings';

describe('logProcessWarnings', () => {
  const original = process.listeners('warning');
  let warn: jest.Mock;

  beforeEach(() => {
    warn = jest.fn();
    logProcessWarnings({ warn } as unknown as LoggerService);
  });

  afterEach(() => {
    process.removeAllListeners('warning');
    original.forEach((listener) => process.on('warning', listener));
  });

  const emit = (name: string, message: string, code?: string) => {
    const warning = Object.assign(new Error(message), { name }, code ? { code } : {});
    process.emit('warning', warning);
  };

  it("should replace Node's stderr printer with the logger", () => {
    expect(process.listeners('warning')).toHaveLength(1);
    emit('TimeoutNegativeWarning', '-17 is a negative number.');
    expect(warn).toHaveBeenCalledWith(
      'TimeoutNegativeWarning: -17 is a negative number. (further TimeoutNegativeWarning warnings are not logged)',
    );
  });

  it('should log each kind once, telling kinds apart by name and code', () => {
    emit('TimeoutNegativeWarning', '-17 is a negative number.');
    emit('TimeoutNegativeWarning', '-18 is a negative number.');
    emit('DeprecationWarning', 'old api', 'DEP0001');
    emit('DeprecationWarning', 'other old api', 'DEP0002');
    emit('DeprecationWarning', 'old api again', 'DEP0001');
    expect(warn.mock.calls.map(([line]: [string]) => line.split(':')[0])).toEqual([
      'TimeoutNegativeWarning',
      'DeprecationWarning DEP0001',
      'DeprecationWarning DEP0002',
    ]);
  });
});
