import { emailPayload, hrmRemindEmail } from '../../test/payloads';
import { validatePushInappNoti } from './push-inapp-noti.validator';

const fieldsOf = (input: unknown) => validatePushInappNoti(input).map(({ field }) => field);

// The e-mail block's rules; the rest of the payload's are in push-inapp-noti.validator.spec.ts.
describe(`${validatePushInappNoti.name}: sendEmailV3`, () => {
  describe('sendEmailV3 (seed 004 §9.8)', () => {
    it.each(['to', 'subject', 'title', 'previewText'])(
      'should answer "is required" for a missing %s (the 400 of §9.8)',
      (field) => {
        expect(validatePushInappNoti(emailPayload({ [field]: undefined }))).toEqual([
          { field: `sendEmailV3.${field}`, message: 'is required' },
        ]);
      },
    );

    it.each(['subject', 'title', 'previewText'])('should refuse a blank %s', (field) => {
      expect(validatePushInappNoti(emailPayload({ [field]: '   ' }))).toEqual([
        { field: `sendEmailV3.${field}`, message: 'must not be empty' },
      ]);
    });

    it.each(['transaction', 'TRANSACTION_BASIC', 'hrm_remind', 3])(
      'should refuse emailType %j, naming the allowed ones (wrong EmailType)',
      (emailType) => {
        expect(validatePushInappNoti(emailPayload({ emailType }))).toEqual([
          {
            field: 'sendEmailV3.emailType',
            message: expect.stringContaining('must be one of "transaction-basic", "hrm-remind"'),
          },
        ]);
      },
    );

    it('should require emailType', () => {
      expect(fieldsOf(emailPayload({ emailType: undefined }))).toEqual(['sendEmailV3.emailType']);
    });

    it('should require content for transaction-basic (missing content)', () => {
      expect(validatePushInappNoti(emailPayload({ content: undefined }))).toEqual([
        {
          field: 'sendEmailV3.content',
          message: 'is required for emailType "transaction-basic"',
        },
      ]);
    });

    it('should require listRequests for hrm-remind (missing listRequests)', () => {
      expect(validatePushInappNoti(hrmRemindEmail({ listRequests: undefined }))).toEqual([
        {
          field: 'sendEmailV3.listRequests',
          message: 'is required for emailType "hrm-remind"',
        },
      ]);
    });

    it('should refuse an empty listRequests for hrm-remind', () => {
      expect(validatePushInappNoti(hrmRemindEmail({ listRequests: [] }))).toEqual([
        {
          field: 'sendEmailV3.listRequests',
          message: 'must not be empty for emailType "hrm-remind"',
        },
      ]);
    });

    it('should not require content for hrm-remind nor listRequests for transaction-basic', () => {
      expect(validatePushInappNoti(hrmRemindEmail({ content: undefined }))).toEqual([]);
      expect(validatePushInappNoti(emailPayload({ listRequests: undefined }))).toEqual([]);
    });

    it.each([
      'parent',
      'parent@',
      '@example.com',
      'parent@example',
      'Parent <parent@example.com>',
      'a@example.com, b@example.com',
      'parent@example.com\r\nBcc: x@example.com',
    ])('should refuse the recipient %j (wrong address)', (to) => {
      expect(fieldsOf(emailPayload({ to }))).toEqual(['sendEmailV3.to']);
    });

    it('should check every group and request of listRequests', () => {
      const payload = hrmRemindEmail({
        listRequests: [
          {
            type: 'OVERTIME',
            title: '',
            total: -1,
            link: 'javascript:alert(1)',
            requests: [{ id: '', title: 'x', createdAt: 'yesterday' }, 'not a request'],
          },
        ],
      });
      expect(fieldsOf(payload)).toEqual([
        'sendEmailV3.listRequests[0].title',
        'sendEmailV3.listRequests[0].total',
        'sendEmailV3.listRequests[0].link',
        'sendEmailV3.listRequests[0].requests[0].id',
        'sendEmailV3.listRequests[0].requests[0].createdAt',
        'sendEmailV3.listRequests[0].requests[1]',
      ]);
    });
  });

  describe('listRequests[].link', () => {
    const linkOf = (link: unknown) =>
      fieldsOf(
        hrmRemindEmail({ listRequests: [{ type: 'OVERTIME', title: 'Làm thêm', total: 1, link }] }),
      );

    it.each([
      'https://hr.phx.vn/requests?status=open#top',
      'http://hr.phx.vn',
      'HTTP://hr.phx.vn:8080/a',
      'https://hr.phx.vn?x=1',
      'https://hr.phx.vn#f',
    ])('should accept %s', (link) => {
      expect(linkOf(link)).toEqual([]);
    });

    it.each([
      'javascript:alert(1)',
      '/requests/1',
      'https://',
      'https:///requests',
      'https://hr.phx.vn/a b',
      `https://${'a'.repeat(2040)} `,
    ])('should refuse %s', (link) => {
      expect(linkOf(link)).toEqual(['sendEmailV3.listRequests[0].link']);
    });
  });
});
