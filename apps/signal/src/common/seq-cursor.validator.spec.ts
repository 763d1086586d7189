import { isSeqCursor } from './seq-cursor.validator';

describe(isSeqCursor.name, () => {
  it.each(['0', '1', '1042', '9223372036854775807'])('should accept %s', (value) => {
    expect(isSeqCursor(value)).toBe(true);
  });

  it.each(['', '-1', '1.5', ' 1', 'abc', '9223372036854775808', '99999999999999999999', 7])(
    'should refuse %j',
    (value) => {
      expect(isSeqCursor(value)).toBe(false);
    },
  );
});
