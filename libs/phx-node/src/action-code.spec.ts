import { isValidActionCode } from './action-code';

describe(isValidActionCode.name, () => {
  it.each([
    'HRM_CHECKIN:FACEID',
    'BUS_ROUTE:DELAY',
    'HRM_CHECKIN:LAMTHEM:DUYETDANGKY',
    'FEE:NOTICE',
  ])('should accept the seed example %s', (code) => {
    expect(isValidActionCode(code)).toBe(true);
  });

  it.each([
    ['hrm_checkin:faceid', 'lower case'],
    ['HRM CHECKIN:FACEID', 'a space'],
    ['HRM_CHECKIN-FACEID', 'a wrong level separator'],
    ['HRM_CHECKIN', 'a single level'],
    ['A:B:C:D', 'four levels'],
    ['HRM_CHECKIN:', 'an empty level'],
    [':FACEID', 'an empty first level'],
    ['HRM_CHẤM:FACEID', 'diacritics'],
    ['HRM.CHECKIN:FACEID', 'another special character'],
    ['', 'nothing'],
  ])('should refuse %j (%s)', (code) => {
    expect(isValidActionCode(code)).toBe(false);
  });

  it('should refuse non-strings', () => {
    expect(isValidActionCode(42)).toBe(false);
    expect(isValidActionCode(undefined)).toBe(false);
  });
});
