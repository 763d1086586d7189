import request from 'supertest';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';

const KEYS = {
  emit: 'scope-emit-key-0123456789',
  producer: 'scope-producer-key-0123456789',
  admin: 'scope-admin-key-0123456789',
  all: 'scope-all-key-0123456789',
} as const;
type Scope = Exclude<keyof typeof KEYS, 'all'>;

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
}

/** The scope SPEC §7 gives each kind of service route. */
function scopeOf(path: string): Scope {
  if (path.startsWith('/socket/websocket/clients/')) return 'emit';
  if (path === '/emit/inapp-noti') return 'producer';
  if (path.startsWith('/admin/')) return 'admin';
  throw new Error(`no scope is known for the service route ${path}`);
}

describe('API key scopes: emit, producer, admin (real app, every x-api-key route of its OpenAPI document)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  let routes: { method: string; path: string; scope: Scope }[];

  beforeAll(async () => {
    db = await createTestSchema('api-key-scopes');
    signal = await startSignalTestApp(db, {
      SIGNAL_API_KEYS: `${KEYS.emit}:emit,${KEYS.producer}:producer,${KEYS.admin}:admin,${KEYS.all}`,
    });
    const document = (await request(signal.app.getHttpServer()).get('/docs-json'))
      .body as OpenApiDocument;
    routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security?.some((s) => 'x-api-key' in s))
        .map(([method]) => ({ method, path, scope: scopeOf(path) })),
    );
  });

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  /** Path parameters filled in: the guard answers before any parameter is validated. */
  const call = (method: string, path: string, key: string) =>
    request(signal.app.getHttpServer())
      [method as 'get'](path.replace(/\{[^}]+\}/g, 'x1'))
      .set('x-api-key', key)
      .send({});

  it('should find the service routes of every kind', () => {
    expect(new Set(routes.map((route) => route.scope))).toEqual(
      new Set(['emit', 'producer', 'admin']),
    );
    expect(routes.some((route) => route.path.startsWith('/admin/roles/'))).toBe(true);
  });

  it('should answer 403 API_KEY_SCOPE naming the missing scope to a key without it, on every route', async () => {
    const answers: object[] = [];
    const expected: object[] = [];
    for (const { method, path, scope } of routes) {
      for (const other of ['emit', 'producer', 'admin'] as const) {
        if (other === scope) continue;
        const response = await call(method, path, KEYS[other]);
        answers.push({ route: `${method} ${path}`, key: other, answer: response.body });
        expected.push({
          route: `${method} ${path}`,
          key: other,
          answer: {
            statusCode: 403,
            error: 'API_KEY_SCOPE',
            message: `x-api-key lacks scope "${scope}", which this route needs`,
          },
        });
      }
    }
    expect(answers).toEqual(expected);
  });

  it('should let through the key with the scope, and a key without scopes, on every route', async () => {
    const refused: string[] = [];
    for (const { method, path, scope } of routes) {
      for (const key of [KEYS[scope], KEYS.all]) {
        const { status } = await call(method, path, key);
        if (status === 401 || status === 403) refused.push(`${method} ${path}: ${status}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('should still answer 401 to an unknown key', async () => {
    const response = await call(
      'post',
      '/socket/websocket/clients/broadcast',
      'not-a-key-0123456789',
    );
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('API_KEY_UNKNOWN');
  });
});
