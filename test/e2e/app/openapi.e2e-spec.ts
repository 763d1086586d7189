import { INestApplication } from '@nestjs/common';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { validatePushInappNoti } from 'phx-node';
import request from 'supertest';
import { pushPayload } from '../../../libs/phx-node/test/payloads';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
}

interface OpenApiDocument {
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, Record<string, unknown>>;
    schemas: Record<
      string,
      { properties?: Record<string, Record<string, unknown>>; required?: string[] }
    >;
  };
}

// Swagger's own routes (UI, its assets, JSON, YAML) are not part of the API it documents.
const DOCS_ROUTE = /^\/docs(?:$|\/|\*|-json$|-yaml$)/;

/**
 * Every controller route Fastify actually serves, as "METHOD /path/{param}", read from its route
 * tree (`printRoutes` without prefix compression: one line per path segment, indented by depth,
 * methods in parentheses on the lines that end a route). HEAD is Fastify's automatic twin of GET.
 */
function registeredRoutes(app: INestApplication): string[] {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  const tree = fastify.printRoutes({ commonPrefix: false });
  const prefixes: string[] = [];
  return tree
    .split('\n')
    .flatMap((line) => {
      const match = /^([\s│├└─]*?)(\S+)(?: \(([^)]+)\))?$/.exec(line);
      if (!match) return [];
      const [, indent, segment, methods] = match;
      const depth = indent.length / 4;
      prefixes.length = depth;
      const path = `${prefixes.join('')}${segment}`;
      prefixes.push(segment);
      if (!methods || DOCS_ROUTE.test(path)) return [];
      return methods
        .split(', ')
        .filter((method) => method !== 'HEAD')
        .map((method) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    })
    .sort();
}

/** Every operation of the document, keyed and sorted like `registeredRoutes`. */
function documentedOperations(document: OpenApiDocument): [string, Operation][] {
  const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      operation,
    ]),
  );
  return operations.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// A few routes of each controller: the walk above must find at least these.
const KNOWN_ROUTES = [
  'POST /socket/websocket/clients/broadcast',
  'POST /socket/websocket/clients/rooms/{roomName}/send',
  'GET /notifications',
  'PATCH /notifications/{id}/read',
  'POST /emit/inapp-noti',
  'GET /notification-center/records',
  'GET /notification-center/unread-counts',
  'PUT /admin/notification-settings/{actionCode}',
  'PUT /admin/users/{userId}/preferences',
  'DELETE /admin/users/{userId}/devices/{deviceId}',
  'POST /notification-center/devices',
  'GET /admin/notifications/{id}/deliveries',
  'PUT /admin/roles/{role}/members/{userId}',
  'GET /health/ready',
];

const DEMO_ROUTES = ['GET /demo', 'GET /demo/demo.css', 'GET /demo/demo.js', 'POST /demo/token'];

// Routes that take no credentials (probes, the metrics scrape, the demo page); every other route
// must say which it takes.
const PUBLIC_ROUTE = /^(?:GET \/health\/|GET \/metrics$|GET \/demo|POST \/demo\/token$)/;

// What each guard answers to a request without credentials.
const MISSING_CREDENTIALS_CODE: Record<string, string> = {
  bearer: 'TOKEN_MISSING',
  'x-api-key': 'API_KEY_MISSING',
};

describe('OpenAPI document at /docs and /docs-json (real PostgreSQL, Redis)', () => {
  let db: TestSchema | undefined;
  let withDemo: SignalTestApp | undefined;
  let withoutDemo: SignalTestApp | undefined;
  let document: OpenApiDocument;

  const docsOf = async (signal: SignalTestApp) =>
    (await request(signal.app.getHttpServer()).get('/docs-json').expect(200))
      .body as OpenApiDocument;

  beforeAll(async () => {
    db = await createTestSchema('openapi');
    withDemo = await startSignalTestApp(db, { DEMO_ENABLED: 'true' });
    withoutDemo = await startSignalTestApp(db);
    document = await docsOf(withDemo);
  });

  afterAll(async () => {
    await withDemo?.close();
    await withoutDemo?.close();
    await db?.drop();
  });

  it('should find the routes it knows among those Fastify serves', () => {
    expect(registeredRoutes(withDemo!.app)).toEqual(
      expect.arrayContaining([...KNOWN_ROUTES, ...DEMO_ROUTES]),
    );
  });

  it('should document every registered route and nothing else', () => {
    const documented = documentedOperations(document).map(([route]) => route);
    expect(documented).toEqual(registeredRoutes(withDemo!.app));
  });

  it('should leave the demo routes out when the demo module is off', async () => {
    const documented = documentedOperations(await docsOf(withoutDemo!)).map(([route]) => route);
    expect(documented).toEqual(registeredRoutes(withoutDemo!.app));
    expect(documented.filter((route) => route.includes(' /demo'))).toEqual([]);
    expect(documented).toEqual(expect.arrayContaining(KNOWN_ROUTES));
  });

  it('should give every operation a tag, a summary and a success response', () => {
    const incomplete = documentedOperations(document).filter(
      ([, operation]) =>
        !operation.tags?.length ||
        !operation.summary ||
        !Object.keys(operation.responses).some((status) => status.startsWith('2')),
    );
    expect(incomplete.map(([route]) => route)).toEqual([]);
  });

  it('should declare the bearer and x-api-key schemes, and a credential on every non-public route', () => {
    expect(document.info).toMatchObject({ title: 'Signal', version: expect.any(String) });
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      'x-api-key': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }),
    });
    const operations = documentedOperations(document);
    const withoutCredentials = operations
      .filter(([, operation]) => !operation.security?.length)
      .map(([route]) => route);
    const publicRoutes = operations
      .map(([route]) => route)
      .filter((route) => PUBLIC_ROUTE.test(route));
    expect(withoutCredentials).toEqual(publicRoutes);
    expect(publicRoutes).toEqual(
      expect.arrayContaining(['GET /health/live', 'GET /health/ready', ...DEMO_ROUTES]),
    );
  });

  it('should name the credential each guard actually asks for, with its 401 documented', async () => {
    const http = request(withDemo!.app.getHttpServer());
    const secured = documentedOperations(document).filter(([, op]) => op.security?.length);
    for (const [route, operation] of secured) {
      const schemes = operation.security!.flatMap((requirement) => Object.keys(requirement));
      expect({ route, schemes }).toEqual({ route, schemes: [expect.any(String)] });
      expect({ route, documented401: '401' in operation.responses }).toEqual({
        route,
        documented401: true,
      });
      const [method, path] = route.split(' ');
      const concretePath = path.replace(/\{\w+\}/g, 'x');
      const response = await http[method.toLowerCase() as 'get'](concretePath);
      expect({ route, status: response.status, error: response.body.error }).toEqual({
        route,
        status: 401,
        error: MISSING_CREDENTIALS_CODE[schemes[0]],
      });
    }
  });

  it('should describe request bodies and query parameters property by property', () => {
    const { schemas } = document.components;
    expect(schemas.EmitRequestDto).toMatchObject({
      required: expect.arrayContaining(['topic', 'payload']),
      properties: { topic: { type: 'string' }, payload: { type: 'object' } },
    });
    expect(schemas.PutNotificationSettingDto).toMatchObject({
      required: expect.arrayContaining(['enabled', 'channels', 'critical']),
      properties: {
        enabled: { type: 'boolean' },
        channels: { type: 'array', items: { $ref: '#/components/schemas/PhxChannel' } },
        critical: { type: 'boolean' },
        description: { type: 'string', maxLength: 2000 },
      },
    });
    expect(schemas.PhxChannel).toMatchObject({ enum: ['push', 'email', 'in_app'] });
    const list = document.paths['/notification-center/records'].get;
    expect(list.parameters?.map(({ name, in: where }) => `${where} ${name}`).sort()).toEqual([
      'query cursor',
      'query limit',
      'query studentId',
      'query type',
      'query unread',
    ]);
  });

  it("should document the Producer's payload with seed 004's check-in example and its 400 with violations", () => {
    const emit = document.paths['/emit/inapp-noti'].post as Operation & {
      requestBody: {
        content: Record<
          string,
          { schema: { $ref: string }; examples: Record<string, { value: unknown }> }
        >;
      };
    };
    const body = emit.requestBody.content['application/json'];
    expect(body.schema.$ref).toBe('#/components/schemas/PushInappNotiSchema');
    // The seed's own example, and one the Producer accepts.
    expect(body.examples.checkIn.value).toEqual(pushPayload());
    expect(validatePushInappNoti(body.examples.checkIn.value)).toEqual([]);
    expect(document.components.schemas.PushInappNotiSchema.required).toEqual(
      expect.arrayContaining(['user_id', 'hostname', 'action_code']),
    );
    expect(emit.responses['400']).toMatchObject({
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/PhxEmitBadRequestSchema' } },
      },
    });
    expect(document.components.schemas.PhxEmitBadRequestSchema.properties).toHaveProperty(
      'violations',
    );
  });

  it('should serve the UI at /docs', async () => {
    const response = await request(withDemo!.app.getHttpServer()).get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('swagger-ui');
  });
});
