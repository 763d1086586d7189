import { isValidActionCode } from '../action-code';
import { EmailType } from '../email-type.enum';
import { NotificationType } from '../notification-type.enum';
import { findNulCharacters } from './nul-characters';
import {
  at,
  Checker,
  describeValue,
  Fields,
  isPlainObject,
  isPositiveInteger,
  PhxViolation,
} from './violation-checker';

/**
 * Maximum lengths (in UTF-16 code units) enforced on a {@link PushInappNoti}; stores can size
 * columns on them. `jsonBytes` bounds the whole payload as compact JSON in UTF-8, which `payload`
 * blocks and `listRequests` have no other bound for: the Producer sizes its body limit on it.
 */
export const PUSH_INAPP_NOTI_LIMITS = {
  jsonBytes: 512 * 1024,
  userId: 128,
  hostname: 255,
  actionCode: 128,
  code: 100,
  title: 200,
  message: 2000,
  subject: 255,
  previewText: 500,
  description: 2000,
  content: 100_000,
  email: 254,
  link: 2048,
  requestId: 128,
} as const;

// Field named when the payload itself is not an object.
const ROOT_FIELD = '(root)';

const L = PUSH_INAPP_NOTI_LIMITS;
const ROOT_KEYS = [
  'user_id',
  'hostname',
  'action_code',
  'student_id',
  'type',
  'pushNotiMobile',
  'sendEmailV3',
  'inApp',
];
const PUSH_KEYS = ['title', 'message', 'module_code', 'app', 'payload'];
const EMAIL_KEYS = [
  'emailType',
  'to',
  'subject',
  'title',
  'previewText',
  'content',
  'listRequests',
  'description',
];
const IN_APP_KEYS = ['title', 'message', 'payload'];
const GROUP_KEYS = ['type', 'title', 'total', 'link', 'requests'];
const REQUEST_KEYS = ['id', 'title', 'requester', 'createdAt'];

// User ids end up in socket room names (`signal/notification/{id}`), which forbid "/".
const STRING_USER_ID = new RegExp(`^[^\\s/]{1,${L.userId}}$`);
// One address, no display name; no whitespace also keeps header injection out.
const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
// A host, then a path, query or fragment. The host's class excludes what may follow it, so a
// long link that fails is refused in one pass (`[^\s/?#]+[^\s]*` retried every split of it).
const HTTP_URL = /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i;
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function checkJsonBytes(c: Checker, input: Fields): void {
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(input));
  } catch {
    // A cycle, a BigInt, or nesting deeper than the stack: nothing could send it.
    c.fail(ROOT_FIELD, 'must be serializable as JSON');
    return;
  }
  if (bytes > L.jsonBytes) {
    c.fail(ROOT_FIELD, `must be at most ${L.jsonBytes} bytes as JSON, got ${bytes}`);
  }
}

function checkUserId(c: Checker, value: unknown): void {
  if (value === undefined) {
    c.fail('user_id', 'is required');
  } else if (
    typeof value === 'number'
      ? !isPositiveInteger(value)
      : typeof value !== 'string' || !STRING_USER_ID.test(value)
  ) {
    c.fail(
      'user_id',
      `must be a positive integer or a string of 1-${L.userId} characters without whitespace or "/", got ${describeValue(value)}`,
    );
  }
}

function checkActionCode(c: Checker, value: unknown): void {
  if (value === undefined) {
    c.fail('action_code', 'is required');
  } else if (!isValidActionCode(value) || value.length > L.actionCode) {
    c.fail(
      'action_code',
      `must be UPPER_SNAKE levels joined by ":" (MODULE:FUNCTION or MODULE:FUNCTION:SUB_FUNCTION, at most ${L.actionCode} characters), got ${describeValue(value)}`,
    );
  }
}

function checkPushNotiMobile(c: Checker, block: Fields, path: string): void {
  c.text(block, 'title', path, L.title);
  c.text(block, 'message', path, L.message);
  c.text(block, 'module_code', path, L.code);
  c.text(block, 'app', path, L.code);
  c.jsonValue(block, 'payload', path, true);
}

function checkSendEmailV3(c: Checker, block: Fields, path: string): void {
  const emailTypes: unknown[] = Object.values(EmailType);
  const emailType = block.emailType;
  if (emailType === undefined) {
    c.fail(at(path, 'emailType'), 'is required');
  } else if (!emailTypes.includes(emailType)) {
    c.fail(
      at(path, 'emailType'),
      `must be one of ${emailTypes.map((type) => JSON.stringify(type)).join(', ')}, got ${describeValue(emailType)}`,
    );
  }

  const to = block.to;
  if (to === undefined) {
    c.fail(at(path, 'to'), 'is required');
  } else if (typeof to !== 'string' || to.length > L.email || !EMAIL.test(to)) {
    c.fail(at(path, 'to'), `must be an e-mail address, got ${describeValue(to)}`);
  }

  c.text(block, 'subject', path, L.subject);
  c.text(block, 'title', path, L.title);
  c.text(block, 'previewText', path, L.previewText);
  c.text(block, 'description', path, L.description, false);
  c.text(
    block,
    'content',
    path,
    L.content,
    emailType === EmailType.TRANSACTION_BASIC,
    ` for emailType "${EmailType.TRANSACTION_BASIC}"`,
  );
  checkListRequests(
    c,
    block.listRequests,
    at(path, 'listRequests'),
    emailType === EmailType.HRM_REMIND,
  );
}

function checkListRequests(c: Checker, value: unknown, field: string, required: boolean): void {
  const why = ` for emailType "${EmailType.HRM_REMIND}"`;
  if (value === undefined) {
    if (required) c.fail(field, `is required${why}`);
    return;
  }
  if (!Array.isArray(value)) {
    c.fail(field, `must be an array, got ${describeValue(value)}`);
    return;
  }
  if (required && value.length === 0) c.fail(field, `must not be empty${why}`);
  value.forEach((group: unknown, index) => {
    const groupField = `${field}[${index}]`;
    if (!isPlainObject(group)) {
      c.fail(groupField, `must be an object, got ${describeValue(group)}`);
      return;
    }
    c.allowedKeys(group, GROUP_KEYS, groupField);
    c.text(group, 'type', groupField, L.code);
    c.text(group, 'title', groupField, L.title);
    if (group.total === undefined) {
      c.fail(at(groupField, 'total'), 'is required');
    } else if (
      typeof group.total !== 'number' ||
      !Number.isSafeInteger(group.total) ||
      group.total < 0
    ) {
      c.fail(
        at(groupField, 'total'),
        `must be a non-negative integer, got ${describeValue(group.total)}`,
      );
    }
    checkLink(c, group.link, at(groupField, 'link'));
    checkRequests(c, group.requests, at(groupField, 'requests'));
  });
}

function checkLink(c: Checker, value: unknown, field: string): void {
  if (value === undefined) return;
  // Links land in e-mails: absolute http(s) only, never javascript: or relative paths.
  if (typeof value !== 'string' || value.length > L.link || !HTTP_URL.test(value)) {
    c.fail(
      field,
      `must be an absolute http(s) URL of at most ${L.link} characters, got ${describeValue(value)}`,
    );
  }
}

function checkRequests(c: Checker, value: unknown, field: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    c.fail(field, `must be an array, got ${describeValue(value)}`);
    return;
  }
  value.forEach((request: unknown, index) => {
    const requestField = `${field}[${index}]`;
    if (!isPlainObject(request)) {
      c.fail(requestField, `must be an object, got ${describeValue(request)}`);
      return;
    }
    c.allowedKeys(request, REQUEST_KEYS, requestField);
    const id = request.id;
    if (id === undefined) {
      c.fail(at(requestField, 'id'), 'is required');
    } else if (
      typeof id === 'number'
        ? !Number.isSafeInteger(id)
        : typeof id !== 'string' || id.trim() === '' || id.length > L.requestId
    ) {
      c.fail(
        at(requestField, 'id'),
        `must be an integer or a non-empty string of at most ${L.requestId} characters, got ${describeValue(id)}`,
      );
    }
    c.text(request, 'title', requestField, L.title);
    c.text(request, 'requester', requestField, L.title, false);
    const createdAt = request.createdAt;
    if (
      createdAt !== undefined &&
      (typeof createdAt !== 'string' ||
        !ISO_DATE_TIME.test(createdAt) ||
        Number.isNaN(Date.parse(createdAt)))
    ) {
      c.fail(
        at(requestField, 'createdAt'),
        `must be an ISO-8601 date-time, got ${describeValue(createdAt)}`,
      );
    }
  });
}

function checkInApp(c: Checker, block: Fields, path: string): void {
  c.text(block, 'title', path, L.title);
  c.text(block, 'message', path, L.message);
  c.jsonValue(block, 'payload', path, false);
}

/**
 * Every violation of the payload rules (SPEC §4) in `input`, in field order; empty when valid.
 * The one implementation shared by `PHXPushNotificationService.send` and the Producer endpoint.
 * Unknown fields are violations: a typo such as `pushNotiMoblie` would otherwise drop a channel.
 */
export function validatePushInappNoti(input: unknown): PhxViolation[] {
  if (!isPlainObject(input)) {
    return [{ field: ROOT_FIELD, message: `must be an object, got ${describeValue(input)}` }];
  }
  const c = new Checker();
  c.allowedKeys(input, ROOT_KEYS, '');
  checkUserId(c, input.user_id);
  c.text(input, 'hostname', '', L.hostname);
  checkActionCode(c, input.action_code);

  if (input.student_id !== undefined && !isPositiveInteger(input.student_id)) {
    c.fail('student_id', `must be a positive integer, got ${describeValue(input.student_id)}`);
  }
  const types: unknown[] = Object.values(NotificationType);
  if (input.type !== undefined && !types.includes(input.type)) {
    c.fail(
      'type',
      `must be one of ${types.map((type) => JSON.stringify(type)).join(', ')}, got ${describeValue(input.type)}`,
    );
  }

  if (
    input.pushNotiMobile === undefined &&
    input.sendEmailV3 === undefined &&
    input.inApp === undefined
  ) {
    c.fail('pushNotiMobile|sendEmailV3|inApp', 'at least one channel block is required');
  }
  c.block(input, 'pushNotiMobile', '', PUSH_KEYS, (block, path) =>
    checkPushNotiMobile(c, block, path),
  );
  c.block(input, 'sendEmailV3', '', EMAIL_KEYS, (block, path) => checkSendEmailV3(c, block, path));
  c.block(input, 'inApp', '', IN_APP_KEYS, (block, path) => checkInApp(c, block, path));
  c.violations.push(...findNulCharacters(input));
  checkJsonBytes(c, input);
  return c.violations;
}
