import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { describeWithRedis, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { deleteRedisKeys } from './support/second-instance';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Swagger UI's "Try it out" → "Execute", route by route, from GET /docs/json: each operation's
 * request is built as Swagger UI builds it (every named body example, or the body sampled from the
 * schema when there is none; parameter examples; the key the Authorize dialog names) and sent to
 * the app in sandbox mode. Every one must succeed, but for the exceptions below, each with its
 * reason and the answer it must give instead.
 */

type Schema = {
  $ref?: string;
  type?: string;
  example?: unknown;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
};
type Parameter = { name: string; in: string; required?: boolean; example?: unknown; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema?: Schema; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, { description?: string }> };
};

interface Call {
  readonly route: string;
  readonly example: string;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** The body Swagger UI's sampler would write for a schema without examples. */
function sample(schema: Schema | undefined, doc: Doc): unknown {
  if (!schema) return undefined;
  if (schema.$ref) return sample(doc.components.schemas[schema.$ref.split('/').pop()!], doc);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if (schema.oneOf) return sample(schema.oneOf[0], doc);
  switch (schema.type) {
    case 'array':
      return [sample(schema.items, doc)];
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return 0;
    case 'string':
      return 'string';
    default:
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sample(v, doc)]));
  }
}

/** The key the Authorize dialog tells a newcomer to use. */
function keyFromAuthorizeDialog(doc: Doc): string {
  const description = doc.components.securitySchemes['api-key'].description ?? '';
  const key = /the development key is ([^\s(]+)/.exec(description)?.[1];
  if (!key) throw new Error(`the Authorize dialog names no key: ${JSON.stringify(description)}`);
  return key;
}

/** Every request "Execute" would send: one per named body example (or one sampled body), POST/PUT first. */
function executeCalls(doc: Doc, pathValues: Record<string, string> = {}): Call[] {
  const key = keyFromAuthorizeDialog(doc);
  const calls: Call[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const route = `${method.toUpperCase()} ${template}`;
      let path = template;
      const query: Record<string, string> = {};
      for (const p of op.parameters ?? []) {
        const example = p.example ?? p.schema?.example ?? pathValues[p.name];
        const value = typeof example === 'string' ? example : JSON.stringify(example);
        if (p.in === 'path') {
          if (example === undefined) throw new Error(`${route}: path parameter ${p.name} has no example`);
          path = path.replace(`{${p.name}}`, encodeURIComponent(value));
        } else if (p.in === 'query' && example !== undefined) query[p.name] = value;
      }
      const headers: Record<string, string> = op.security?.some((s) => 'api-key' in s) ? { 'x-api-key': key } : {};
      const json = op.requestBody?.content['application/json'];
      const examples = json ? Object.entries(json.examples ?? { sampled: { value: sample(json.schema, doc) } }) : [];
      if (examples.length === 0) calls.push({ route, example: '-', method, path, query, headers });
      for (const [name, { value }] of examples)
        calls.push({ route, example: name, method, path, query, headers, body: value });
    }
  }
  const order = ['post', 'put', 'get'];
  return calls.sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
}

async function execute(t: TestApp, call: Call): Promise<request.Response> {
  let req = request(t.server)[call.method as 'get'](call.path).query(call.query);
  for (const [name, value] of Object.entries(call.headers)) req = req.set(name, value);
  return call.body === undefined ? req : req.send(call.body as object);
}

const docOf = async (t: TestApp): Promise<Doc> => (await request(t.server).get('/docs/json').expect(200)).body as Doc;

/** Routes whose example cannot succeed as it stands, why, and what they must answer instead. */
type Refusals = Readonly<Record<string, { readonly why: string; readonly status: number; readonly error: string }>>;
const EXPECTED_REFUSALS: Refusals = {
  'POST /otp/verify': {
    why: 'a token verifies only once this app has issued it: the example shows the shape; see the next test',
    status: 400,
    error: 'OTP_TOKEN_EXPIRED',
  },
  'GET /messages/{messageId}': {
    why: 'ThaiBulkSMS makes up each message id: the example shows the shape; see the next tests for one it issued',
    status: 404,
    error: 'NOT_FOUND',
  },
};
const QUEUE_OFF_REFUSALS: Refusals = {
  ...EXPECTED_REFUSALS,
  'GET /alerts/{id}': {
    why: 'with QUEUE_ENABLED=false there is nothing to poll: documented as a 404 that says so',
    status: 404,
    error: 'NOT_FOUND',
  },
};

async function expectEveryExampleToSucceed(t: TestApp, refusals: Refusals): Promise<Call[]> {
  const doc = await docOf(t);
  // The webhook token is a secret, so the document has no example for it; a newcomer copies it
  // from the start-up banner, which prints this run's made-up token.
  const calls = executeCalls(doc, { token: t.config.delivery.webhookToken! });
  const outcomes: string[] = [];
  const expected: string[] = [];
  for (const call of calls) {
    const res = await execute(t, call);
    const refusal = refusals[call.route];
    outcomes.push(`${call.route} [${call.example}] → ${res.status} ${res.status >= 300 ? res.body.error : ''}`.trim());
    expected.push(
      refusal
        ? `${call.route} [${call.example}] → ${refusal.status} ${refusal.error}`
        : `${call.route} [${call.example}] → ${/^2\d\d$/.test(String(res.status)) ? res.status : '2xx'}`,
    );
  }
  expect(outcomes).toEqual(expected);
  return calls;
}

describe('Swagger UI "Execute" with every example, in sandbox mode (from GET /docs/json)', () => {
  let t: TestApp;
  // The ledger on, as npm start has it (in memory: nothing to clean up).
  beforeAll(async () => (t = await createTestApp({ env: { LEDGER_ENABLED: 'true', LEDGER_DATA_DIR: 'memory' } })));
  afterAll(() => t?.close());

  it('succeeds on every route, and sends nothing outside the machine', async () => {
    const calls = await expectEveryExampleToSucceed(t, QUEUE_OFF_REFUSALS);
    expect(calls.map((c) => c.route)).toEqual(
      expect.arrayContaining([
        'POST /sms',
        'POST /alerts',
        'GET /alerts/{id}',
        'POST /otp/request',
        'POST /otp/verify',
        'GET /credit',
        'GET /health',
        'GET /messages',
        'GET /messages/{messageId}',
        'GET /reports/delivery',
        'DELETE /subjects/{phone}',
        'GET /webhooks/thaibulksms/{token}',
        'POST /webhooks/thaibulksms/{token}',
        'PUT /webhooks/thaibulksms/{token}',
      ]),
    );
    // No example asks for a delivery report: the sandbox would call it.
    expect(calls.filter((c) => JSON.stringify(c.body ?? {}).includes('callbackUrl'))).toEqual([]);
    expect(t.sandbox.messages().filter((m) => m.callbackUrl && !m.callbackUrl.startsWith('http://127.0.0.1'))).toEqual(
      [],
    );
  });

  it('verifies with the token /otp/request answered and the PIN from the sandbox, the example token shaped alike', async () => {
    const doc = await docOf(t);
    const verify = executeCalls(doc, { token: t.config.delivery.webhookToken! }).find(
      (c) => c.route === 'POST /otp/verify',
    )!;
    const requested = await request(t.server)
      .post('/otp/request')
      .set(verify.headers)
      .send({ phone: '0898765432' })
      .expect(201);
    const exampleToken = (verify.body as { token: string }).token;
    expect(requested.body.token).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(exampleToken).toMatch(/^[A-Za-z0-9]{24}$/);
    const answer = await execute(t, {
      ...verify,
      body: { token: requested.body.token, pin: t.sandbox.lastOtp()!.pin },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ verified: true, message: 'Code is correct.' });
  });

  it('finds with GET /messages/{messageId} the message id POST /sms answered for its example', async () => {
    const doc = await docOf(t);
    const calls = executeCalls(doc, { token: t.config.delivery.webhookToken! });
    const send = calls.find((c) => c.route === 'POST /sms' && c.example === 'one')!;
    const sent = await execute(t, send);
    const messageId = (sent.body as { accepted: { messageId: string }[] }).accepted[0].messageId;
    const find = calls.find((c) => c.route === 'GET /messages/{messageId}')!;
    const answer = await execute(t, { ...find, path: `/messages/${encodeURIComponent(messageId)}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ messageId, phone: '66812345678', status: 'accepted' });
  });

  it('schedules the "scheduled" example an hour after the moment the document is read', async () => {
    const doc = await docOf(t);
    const scheduled = doc.paths['/sms'].post.requestBody!.content['application/json'].examples!.scheduled.value as {
      scheduledAt: string;
    };
    expect(scheduled.scheduledAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    const ahead = Date.parse(scheduled.scheduledAt) - Date.now();
    expect(ahead).toBeGreaterThan(55 * 60_000);
    expect(ahead).toBeLessThanOrEqual(60 * 60_000);
  });

  it('says in the Authorize dialog what the development key is', async () => {
    const doc = await docOf(t);
    expect(keyFromAuthorizeDialog(doc)).toBe('dev-key-change-me');
  });

  it('lists 413 for every route with a body, 429 for the throttled OTP routes, and a health example without contradictions', async () => {
    const doc = await docOf(t);
    const withBody = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => [`${method.toUpperCase()} ${path}`, Object.keys(op.responses)] as const),
    );
    expect(withBody.length).toBeGreaterThanOrEqual(6);
    expect(withBody.filter(([, statuses]) => !statuses.includes('413'))).toEqual([]);
    for (const path of ['/otp/request', '/otp/verify'])
      expect(Object.keys(doc.paths[path].post.responses)).toContain('429');

    const health = doc.paths['/health'].get.responses;
    const up = health['200'].content!['application/json'].example;
    const down = health['503'].content!['application/json'].example;
    expect(up).toMatchObject({ status: 'ok', details: { thaibulksms: { status: 'up' } } });
    expect(JSON.stringify(up)).not.toContain('reason');
    expect(down).toMatchObject({
      status: 'error',
      details: { thaibulksms: { status: 'down', reason: expect.any(String) } },
    });
  });
});

describe('Swagger UI outside sandbox-mode defaults', () => {
  it('does not name a key in the Authorize dialog when APP_API_KEYS is set', async () => {
    const key = `own-key-${randomBytes(12).toString('hex')}`;
    const t = await createTestApp({ env: { APP_API_KEYS: key } });
    try {
      const doc = await docOf(t);
      const description = doc.components.securitySchemes['api-key'].description;
      expect(description).toBe('One of the keys in APP_API_KEYS.');
      expect(JSON.stringify(doc)).not.toContain(key);
    } finally {
      await t.close();
    }
  });
});

describeWithRedis('Swagger UI "Execute" with every example, QUEUE_ENABLED=true', () => {
  const prefix = `t-openapi-ex-${process.pid}-${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { QUEUE_ENABLED: 'true', QUEUE_WORKER: 'false', REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix },
    });
  });
  afterAll(async () => {
    await t?.close();
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  it('succeeds on every route: POST /alerts queues under the example key, GET /alerts/{id} finds that id', async () => {
    await expectEveryExampleToSucceed(t, EXPECTED_REFUSALS);
  });
});
