import 'reflect-metadata';
import { legacyV1Example, legacyV1Minimum } from '../../../../test/fixtures/legacy-v1';
import { envelopeCorrelationId, parseLegacyEvent } from './legacy-event.parser';

const body = (value: unknown) => Buffer.from(JSON.stringify(value));

describe(parseLegacyEvent.name, () => {
  it.each(['loaphuong', 'task', 'payment', 'full'] as const)(
    'should accept the seed %s example, known by its eventId',
    (name) => {
      const event = legacyV1Example(name);

      const sut = parseLegacyEvent(body(event));

      expect(sut).toMatchObject({ ok: true, key: event.eventId });
    },
  );

  it('should accept the seed Minimum Required envelope once it names a target, known by the hash of its canonical body', () => {
    const event = legacyV1Minimum();
    event.payload.notification.targetUsers = ['user-1'];
    const { notification, sourceService, contentId } = event.payload;
    // Every level in another key order, and indented.
    const reordered = {
      payload: {
        contentId,
        sourceService,
        notification: Object.fromEntries(Object.entries(notification).reverse()),
      },
      eventType: event.eventType,
    };
    const keyOf = (text: string) => {
      const parsed = parseLegacyEvent(Buffer.from(text));
      return parsed.ok ? parsed.key : parsed.reason;
    };

    const sut = keyOf(JSON.stringify(event));

    expect(sut).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(keyOf(JSON.stringify(reordered, null, 2))).toBe(sut);
    event.payload.contentId = 'announcement-124';
    expect(keyOf(JSON.stringify(event))).not.toBe(sut);
  });

  it('should dead-letter the seed Minimum Required envelope as written for naming no target, and for nothing else', () => {
    expect(parseLegacyEvent(body(legacyV1Minimum()))).toEqual({
      ok: false,
      reason: 'no target: payload.notification names neither targetUsers nor targetRoles',
    });
  });

  it('should refuse a body that is not JSON, saying so', () => {
    const sut = parseLegacyEvent(Buffer.from('{"eventId": '));

    expect(sut).toEqual({ ok: false, reason: expect.stringMatching(/^body is not JSON: /) });
  });

  it('should refuse a JSON array', () => {
    expect(parseLegacyEvent(body([1]))).toEqual({
      ok: false,
      reason: 'body must be a JSON object (the seed 003 envelope)',
    });
  });

  it('should name every violation with its path', () => {
    const event = legacyV1Example('task');
    event.eventType = 'Task-Assigned';
    event.payload.notification.title = 'x'.repeat(201);
    event.payload.notification.body = 'y'.repeat(1001);
    event.payload.notification.priority = 'asap';
    event.payload.notification.channels = ['push', 'sms'];
    event.payload.sourceService = '';

    const sut = parseLegacyEvent(body(event));

    expect(sut.ok).toBe(false);
    const reason = sut.ok ? '' : sut.reason;
    expect(reason).toContain('eventType: eventType must be shaped {service}.{EventName}');
    expect(reason).toContain(
      'payload.notification.title: title must be shorter than or equal to 200 characters',
    );
    expect(reason).toContain(
      'payload.notification.body: body must be shorter than or equal to 1000 characters',
    );
    expect(reason).toContain(
      'payload.notification.priority: priority must be one of the following values: urgent, high, normal, low',
    );
    expect(reason).toContain(
      'payload.notification.channels: each value in channels must be one of the following values: push, in-app',
    );
    expect(reason).toContain('payload.sourceService: sourceService must be 1-64');
  });

  it('should refuse empty channels, an eventId with spaces and a bad scheduledAt', () => {
    const event = legacyV1Example('payment');
    event.eventId = 'event 1';
    event.payload.notification.channels = [];
    event.payload.notification.scheduledAt = 'tomorrow';

    const sut = parseLegacyEvent(body(event));

    expect(sut.ok ? '' : sut.reason).toMatch(
      /^eventId: .*; payload\.notification\.channels: channels should not be empty; payload\.notification\.scheduledAt: /,
    );
  });

  it('should refuse an event that names no target', () => {
    const event = legacyV1Example('payment');
    event.payload.notification.targetUsers = [];

    expect(parseLegacyEvent(body(event))).toEqual({
      ok: false,
      reason: 'no target: payload.notification names neither targetUsers nor targetRoles',
    });
  });

  it('should refuse user ids with whitespace', () => {
    const event = legacyV1Example('payment');
    event.payload.notification.targetUsers = ['user 1'];

    expect(parseLegacyEvent(body(event))).toEqual({
      ok: false,
      reason: expect.stringContaining('payload.notification.targetUsers: each of targetUsers'),
    });
  });

  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    '//evil.example/phish',
    '/\\evil.example/phish',
    'https:evil.example',
    'intent://scan/#Intent;scheme=zxing;end',
  ])('should refuse the redirectUrl %j, in the notification or the payload', (url) => {
    const inNotification = legacyV1Example('payment');
    inNotification.payload.notification.redirectUrl = url;
    const inPayload = legacyV1Example('payment');
    (inPayload.payload as Record<string, unknown>).redirectUrl = url;

    expect(parseLegacyEvent(body(inNotification))).toEqual({
      ok: false,
      reason:
        'payload.notification.redirectUrl: redirectUrl must be an http(s) URL or a relative path',
    });
    expect(parseLegacyEvent(body(inPayload))).toEqual({
      ok: false,
      reason: 'payload.redirectUrl: redirectUrl must be an http(s) URL or a relative path',
    });
  });

  it.each([
    'https://portal.phx.vn/announcements/1?tab=all#top',
    'http://intranet.local:8080/x',
    '/announcements/announcement-123',
    'announcements/1',
    '?tab=fees',
  ])('should accept the redirectUrl %j', (url) => {
    const event = legacyV1Example('payment');
    event.payload.notification.redirectUrl = url;

    expect(parseLegacyEvent(body(event)).ok).toBe(true);
  });

  it('should refuse, without throwing, an event nested 20,000 levels deep', () => {
    const event = legacyV1Example('payment');
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const text = JSON.stringify(event).replace('"data":{', `"data":{"deep":${deep},`);

    const sut = parseLegacyEvent(Buffer.from(text));

    expect(sut).toEqual({
      ok: false,
      reason: 'body nests objects and arrays deeper than 32 levels',
    });
  });

  it('should accept nesting up to the bound, counting brackets inside strings as text', () => {
    const event = legacyV1Example('payment');
    // The envelope and payload.data take 3 levels.
    let nested: unknown = '[[{{ not structure }}]]';
    for (let level = 0; level < 29; level++) nested = [nested];
    event.payload.data = { nested };

    expect(parseLegacyEvent(body(event)).ok).toBe(true);
  });

  it('should refuse a body larger than a V1 event may be', () => {
    const event = legacyV1Example('payment');
    event.payload.data = { blob: 'x'.repeat(2 * 1024 * 1024) };

    expect(parseLegacyEvent(body(event))).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^body is \d+ bytes, more than the 2097152 a V1 event may have$/,
      ),
    });
  });
});

describe(envelopeCorrelationId.name, () => {
  it('should read the correlationId beside eventId in the envelope', () => {
    expect(envelopeCorrelationId(body(legacyV1Example('full')))).toBe('correlation-id-123');
  });

  it.each([
    ['none', legacyV1Minimum()],
    ['not a usable id', { ...legacyV1Minimum(), correlationId: 'has spaces' }],
    ['not a string', { ...legacyV1Minimum(), correlationId: 42 }],
    ['inside metadata only', { ...legacyV1Minimum(), metadata: { correlationId: 'c-1' } }],
  ])('should answer undefined for %s', (_, event) => {
    expect(envelopeCorrelationId(body(event))).toBeUndefined();
  });

  it('should answer undefined for a body that is not a JSON object', () => {
    expect(envelopeCorrelationId(Buffer.from('{"correlationId": "c-1"'))).toBeUndefined();
    expect(envelopeCorrelationId(body(['c-1']))).toBeUndefined();
  });
});
