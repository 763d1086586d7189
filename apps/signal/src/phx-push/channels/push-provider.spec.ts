import { flattenPushData, toPushMessage } from './push-provider';

describe(flattenPushData.name, () => {
  it("should keep an object's string values as they are and give its other values as JSON", () => {
    expect(
      flattenPushData({
        action: 'OPEN_FEE_NOTICE',
        feeId: 7,
        paid: false,
        due: null,
        tags: ['fee', 'urgent'],
        detail: { month: 11, note: 'Học phí' },
        empty: '',
      }),
    ).toEqual({
      action: 'OPEN_FEE_NOTICE',
      feeId: '7',
      paid: 'false',
      due: 'null',
      tags: '["fee","urgent"]',
      detail: '{"month":11,"note":"Học phí"}',
      empty: '',
    });
  });

  it('should give nothing for an empty object', () => {
    expect(flattenPushData({})).toEqual({});
  });

  it.each([
    ['a string', 'OPEN_CHECK_IN_PAGE', 'OPEN_CHECK_IN_PAGE'],
    ['a string that looks like JSON', '{"a":1}', '{"a":1}'],
    [
      'an array',
      ['OPEN_CHECK_IN_PAGE', 42, { nested: null }],
      '["OPEN_CHECK_IN_PAGE",42,{"nested":null}]',
    ],
    ['an empty array', [], '[]'],
    ['a number', 42.5, '42.5'],
    ['a boolean', true, 'true'],
    ['null', null, 'null'],
  ])('should give %s as the object { payload } would', (_, payload, flattened) => {
    expect(flattenPushData(payload)).toEqual({ payload: flattened });
    expect(flattenPushData(payload)).toEqual(flattenPushData({ payload }));
  });
});

describe(toPushMessage.name, () => {
  it("should carry the seed's check-in payload as FCM data", () => {
    expect(
      toPushMessage('n-1', {
        title: 'Check-in',
        message: 'Bé đã tới trường',
        module_code: 'HRM_CHECKIN',
        app: 'PHX_PARENT',
        payload: { action: 'OPEN_CHECK_IN_PAGE' },
      }),
    ).toEqual({
      notificationId: 'n-1',
      title: 'Check-in',
      body: 'Bé đã tới trường',
      data: { action: 'OPEN_CHECK_IN_PAGE' },
      app: 'PHX_PARENT',
      moduleCode: 'HRM_CHECKIN',
    });
  });
});
