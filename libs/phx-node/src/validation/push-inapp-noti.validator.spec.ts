import { emailPayload, hrmRemindEmail, pushPayload } from '../../test/payloads';
import { NUL_CHARACTER_MESSAGE } from './nul-characters';
import { PUSH_INAPP_NOTI_LIMITS, validatePushInappNoti } from './push-inapp-noti.validator';

const fieldsOf = (input: unknown) => validatePushInappNoti(input).map(({ field }) => field);

describe(validatePushInappNoti.name, () => {
  describe('seed examples', () => {
    it.each([
      ['the minimal mobile push (§5.3)', pushPayload()],
      ['the fee notice e-mail (§9.2)', emailPayload()],
      [
        'push and e-mail in one call (§9.3)',
        { ...emailPayload(), pushNotiMobile: pushPayload().pushNotiMobile },
      ],
      ['an HR reminder e-mail', hrmRemindEmail()],
    ])('should accept %s', (_, payload) => {
      expect(validatePushInappNoti(payload)).toEqual([]);
    });
  });

  describe('action_code (seed 004 §7, SPEC §4)', () => {
    it.each([
      'HRM_CHECKIN:FACEID',
      'BUS_ROUTE:DELAY',
      'HRM_CHECKIN:LAMTHEM:DUYETDANGKY',
      'FEE:NOTICE',
      'MODULE2:FUNCTION_3',
    ])('should accept %s', (code) => {
      expect(validatePushInappNoti(pushPayload({ action_code: code }))).toEqual([]);
    });

    it.each<[unknown, string]>([
      ['hrm_checkin:faceid', 'not upper case (seed)'],
      ['HRM CHECKIN:FACEID', 'a space (seed)'],
      ['HRM_CHECKIN-FACEID', 'a wrong level separator (seed)'],
      ['Hrm_Checkin:FaceId', 'mixed case'],
      ['HRM_CHECKIN:FACEID ', 'a trailing space'],
      ['HRM_CHẤM:FACEID', 'diacritics'],
      ['HRM.CHECKIN:FACEID', 'another special character'],
      ['HRM_CHECKIN', 'one level'],
      ['A:B:C:D', 'four levels'],
      ['HRM_CHECKIN:', 'an empty level'],
      ['HRM_CHECKIN::FACEID', 'two separators in a row'],
      ['', 'an empty string'],
      [`A:${'B'.repeat(PUSH_INAPP_NOTI_LIMITS.actionCode)}`, 'more than 128 characters'],
      [42, 'a number'],
    ])('should refuse %j (%s), naming the rule', (code) => {
      expect(validatePushInappNoti({ ...pushPayload(), action_code: code })).toEqual([
        {
          field: 'action_code',
          message: expect.stringContaining('must be UPPER_SNAKE levels joined by ":"'),
        },
      ]);
    });

    it('should require action_code', () => {
      expect(validatePushInappNoti(pushPayload({ action_code: undefined }))).toEqual([
        { field: 'action_code', message: 'is required' },
      ]);
    });
  });

  describe('user_id', () => {
    it.each([
      8652,
      1,
      Number.MAX_SAFE_INTEGER,
      '8652',
      'user-5f3a',
      'a'.repeat(PUSH_INAPP_NOTI_LIMITS.userId),
    ])('should accept %j', (userId) => {
      expect(validatePushInappNoti(pushPayload({ user_id: userId }))).toEqual([]);
    });

    it.each<[unknown, string]>([
      [0, 'zero'],
      [-1, 'negative'],
      [1.5, 'not an integer'],
      [Number.NaN, 'NaN'],
      [2 ** 53, 'beyond the safe integers'],
      ['', 'an empty string'],
      [' ', 'whitespace only'],
      ['user 1', 'a space'],
      ['user\t1', 'a tab'],
      ['a'.repeat(PUSH_INAPP_NOTI_LIMITS.userId + 1), 'longer than 128'],
      ['org/1', 'a "/" (it would break the socket room name)'],
      [null, 'null'],
      [true, 'a boolean'],
    ])('should refuse %j (%s)', (userId) => {
      expect(fieldsOf({ ...pushPayload(), user_id: userId })).toEqual(['user_id']);
    });

    it('should require user_id', () => {
      expect(validatePushInappNoti(pushPayload({ user_id: undefined }))).toEqual([
        { field: 'user_id', message: 'is required' },
      ]);
    });
  });

  describe('at least one channel', () => {
    it('should refuse a payload without pushNotiMobile, sendEmailV3 or inApp', () => {
      expect(validatePushInappNoti(pushPayload({ pushNotiMobile: undefined }))).toEqual([
        {
          field: 'pushNotiMobile|sendEmailV3|inApp',
          message: 'at least one channel block is required',
        },
      ]);
    });

    it.each([
      ['pushNotiMobile only', pushPayload()],
      ['sendEmailV3 only', emailPayload()],
      [
        'inApp only',
        {
          ...pushPayload({ pushNotiMobile: undefined }),
          inApp: { title: 'Học phí', message: 'Đã thanh toán' },
        },
      ],
    ])('should accept %s', (_, payload) => {
      expect(validatePushInappNoti(payload)).toEqual([]);
    });

    it('should not count a misspelt block as a channel', () => {
      const { pushNotiMobile, ...payload } = pushPayload();
      expect(fieldsOf({ ...payload, pushNotiMoblie: pushNotiMobile })).toEqual([
        'pushNotiMoblie',
        'pushNotiMobile|sendEmailV3|inApp',
      ]);
    });
  });

  describe('pushNotiMobile', () => {
    it('should require title, message, module_code, app and a payload', () => {
      expect(validatePushInappNoti({ ...pushPayload(), pushNotiMobile: {} })).toEqual([
        { field: 'pushNotiMobile.title', message: 'is required' },
        { field: 'pushNotiMobile.message', message: 'is required' },
        { field: 'pushNotiMobile.module_code', message: 'is required' },
        { field: 'pushNotiMobile.app', message: 'is required' },
        { field: 'pushNotiMobile.payload', message: 'is required' },
      ]);
    });

    const withPayload = (payload: unknown) =>
      pushPayload({ pushNotiMobile: { ...pushPayload().pushNotiMobile!, payload } });
    const withInAppPayload = (payload: unknown) => ({
      ...pushPayload(),
      inApp: { title: 'Học phí', message: 'Đã cập nhật', payload },
    });

    // Seed 004: `payload: any`.
    it.each([
      ["the seed's object", { action: 'OPEN_CHECK_IN_PAGE' }],
      ['an empty object', {}],
      ['an array', ['OPEN_CHECK_IN_PAGE', 42, { nested: [null] }]],
      ['a string', 'OPEN_CHECK_IN_PAGE'],
      ['an empty string', ''],
      ['a number', 42.5],
      ['a boolean', false],
      ['null', null],
    ])('should accept %s as payload, in pushNotiMobile and inApp', (_, payload) => {
      expect(validatePushInappNoti(withPayload(payload))).toEqual([]);
      expect(validatePushInappNoti(withInAppPayload(payload))).toEqual([]);
    });

    it.each([
      ['NaN', Number.NaN, 'NaN'],
      ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
      ['a function', () => 'x', 'a function'],
      ['a Date', new Date(0), 'a Date'],
      ['a Map', new Map([['a', 1]]), 'a Map'],
      ['a bigint', BigInt(1), 'a bigint'],
    ])('should refuse %s, which JSON would not carry as such', (_, payload, described) => {
      const message = `must be a JSON value (object, array, string, number, boolean or null), got ${described}`;
      expect(validatePushInappNoti(withPayload(payload))).toEqual(
        expect.arrayContaining([{ field: 'pushNotiMobile.payload', message }]),
      );
      expect(validatePushInappNoti(withInAppPayload(payload))).toEqual(
        expect.arrayContaining([{ field: 'inApp.payload', message }]),
      );
    });

    it('should find a NUL character in a string payload', () => {
      expect(validatePushInappNoti(withPayload('OPEN\u0000'))).toEqual([
        { field: 'pushNotiMobile.payload', message: NUL_CHARACTER_MESSAGE },
      ]);
    });
  });

  it('should list every violation at once, in field order', () => {
    const violations = validatePushInappNoti({
      user_id: -5,
      action_code: 'hrm_checkin:faceid',
      student_id: 'S1',
      type: 'OTHER',
      pushNotiMobile: { title: 'Check-in', message: '', module_code: 'HRM', app: 'PHX_PARENT' },
      sendEmailV3: { emailType: 'transaction-basic', to: 'nobody', subject: 'Học phí' },
      extra: true,
    });
    expect(violations).toEqual([
      { field: 'extra', message: expect.stringContaining('is not an allowed field') },
      { field: 'user_id', message: expect.stringContaining('got -5') },
      { field: 'hostname', message: 'is required' },
      { field: 'action_code', message: expect.stringContaining('got "hrm_checkin:faceid"') },
      { field: 'student_id', message: 'must be a positive integer, got "S1"' },
      { field: 'type', message: 'must be one of "SYSTEM", "TO_ME", got "OTHER"' },
      { field: 'pushNotiMobile.message', message: 'must not be empty' },
      { field: 'pushNotiMobile.payload', message: 'is required' },
      { field: 'sendEmailV3.to', message: 'must be an e-mail address, got "nobody"' },
      { field: 'sendEmailV3.title', message: 'is required' },
      { field: 'sendEmailV3.previewText', message: 'is required' },
      {
        field: 'sendEmailV3.content',
        message: 'is required for emailType "transaction-basic"',
      },
    ]);
  });

  it.each([null, 'payload', [pushPayload()], 42])('should refuse a root that is %j', (input) => {
    expect(fieldsOf(input)).toEqual(['(root)']);
  });

  describe('NUL characters (SPEC §4: PostgreSQL stores none)', () => {
    const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';

    it('should name every string that carries one, in payload blocks and lists too', () => {
      const payload = {
        ...emailPayload({ title: 'Học\u0000phí' }),
        user_id: 'u\u0000',
        pushNotiMobile: {
          ...pushPayload().pushNotiMobile,
          payload: { nested: [{ deep: 'x\u0000' }], ['k\u0000']: 1 },
        },
      };

      expect(validatePushInappNoti(payload)).toEqual([
        { field: 'user_id', message: NUL_MESSAGE },
        { field: 'sendEmailV3.title', message: NUL_MESSAGE },
        {
          field: 'pushNotiMobile.payload',
          message: 'must not have a key with a NUL character (\\u0000)',
        },
        { field: 'pushNotiMobile.payload.nested[0].deep', message: NUL_MESSAGE },
      ]);
    });

    it('should walk a deeply nested payload without overflowing the stack', () => {
      let deep: unknown = 'bottom\u0000';
      for (let level = 0; level < 100_000; level++) deep = [deep];
      const violations = validatePushInappNoti(
        pushPayload({ pushNotiMobile: { ...pushPayload().pushNotiMobile!, payload: { deep } } }),
      );

      expect(violations).toEqual([
        {
          field: expect.stringMatching(/^pushNotiMobile\.payload\.deep(\[0\]){100000}$/) as string,
          message: 'must not contain a NUL character (\\u0000)',
        },
        // Nothing could send it either.
        { field: '(root)', message: 'must be serializable as JSON' },
      ]);
    });

    it('should list at most ten of them', () => {
      const many = Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`k${n}`, '\u0000']));
      const violations = validatePushInappNoti(
        pushPayload({ pushNotiMobile: { ...pushPayload().pushNotiMobile!, payload: many } }),
      );

      expect(violations).toHaveLength(10);
    });
  });

  it('should quote only the start of a long bad value', () => {
    const violations = validatePushInappNoti(pushPayload({ action_code: 'a'.repeat(100_000) }));

    expect(violations).toEqual([
      {
        field: 'action_code',
        message: expect.stringMatching(/, got "a{64}"… \(100000 characters\)$/),
      },
    ]);
  });

  describe('size as JSON', () => {
    const { jsonBytes, content } = PUSH_INAPP_NOTI_LIMITS;
    /** A valid e-mail with an in-app notice, exactly `bytes` bytes of compact JSON. */
    function payloadOfBytes(bytes: number) {
      const ofPad = (pad: string) => ({
        ...emailPayload({ content: '€'.repeat(content) }),
        inApp: { title: 'Học phí', message: 'Đã cập nhật', payload: { pad } },
      });
      return ofPad('x'.repeat(bytes - Buffer.byteLength(JSON.stringify(ofPad('')))));
    }

    it('should accept the longest content in its widest characters', () => {
      const payload = emailPayload({ content: '€'.repeat(content) });
      expect(Buffer.byteLength(JSON.stringify(payload))).toBeGreaterThan(3 * content);
      expect(validatePushInappNoti(payload)).toEqual([]);
    });

    it('should accept a payload of exactly the limit and refuse one byte more', () => {
      const atLimit = payloadOfBytes(jsonBytes);
      expect(Buffer.byteLength(JSON.stringify(atLimit))).toBe(jsonBytes);
      expect(validatePushInappNoti(atLimit)).toEqual([]);

      expect(validatePushInappNoti(payloadOfBytes(jsonBytes + 1))).toEqual([
        {
          field: '(root)',
          message: `must be at most ${jsonBytes} bytes as JSON, got ${jsonBytes + 1}`,
        },
      ]);
    });
  });

  it('should refuse a blank hostname', () => {
    expect(validatePushInappNoti(pushPayload({ hostname: ' ' }))).toEqual([
      { field: 'hostname', message: 'must not be empty' },
    ]);
  });
});
