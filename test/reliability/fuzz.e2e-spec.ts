import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { SmsQueue } from '@app/thai-bulk-sms/queue';
import { describeWithRedis, obliterateQueue, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { deleteRedisKeys } from '../support/second-instance';
import { createTestApp, TestApp } from '../support/test-app';
import {
  alertBodies,
  alertIds,
  badApiKeys,
  junkQueries,
  nonJsonContentTypes,
  otpRequestBodies,
  otpVerifyBodies,
  queuedAlertBodies,
  rawBadBodies,
  smsBodies,
  webhookBodies,
} from './support/bad-bodies';
import {
  pool,
  printTable,
  processFaultFigures,
  processFaults,
  RawClient,
  RawResponse,
  unhandledRejectionCanary,
  writeFragment,
} from './support/reliability';

/**
 * Issue 6.2: at least 10,000 generated bad inputs against every sample route — bodies, query
 * strings, path parameters and headers (x-api-key, content-type). Zero 5xx, every 4xx carries a
 * string `error`, and not one request reaches the sandbox because of invalid input.
 *
 * Routes: POST /sms, POST /alerts (also queued, with dedupeKey, when Redis is there),
 * GET /alerts/:id, POST /otp/request, POST /otp/verify, GET /credit, GET /health, and the
 * delivery-report webhook (GET/POST/PUT). A webhook call with the right token answers 200 (an odd
 * report must never make the vendor retry) or a 4xx when the body is not JSON; with a wrong token
 * it is exactly 404.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_606);
const tag = () => randomBytes(12).toString('base64url');
const WEBHOOK_TOKEN = `fuzzHook-${tag()}`;
const WRONG_TOKEN = `wrongHook-${tag()}`;
const APP_KEY = `fuzzAppKey-${tag()}`;
const PER_ROUTE = {
  sms: 3_000,
  alerts: 2_000,
  otpRequest: 1_500,
  otpVerify: 1_500,
  webhook: 1_000,
  webhookGet: 1_000,
  alertId: 300,
  raw: 1_200,
  apiKey: 1_000,
  contentType: 600,
  tolerated: 300,
  queued: 1_200,
  queuedId: 200,
};

/** What a request must be answered with. 'refused': a 4xx with `error`; 'webhook': 200 or refused. */
type Expectation = 'refused' | 'webhook' | 200 | 404;

interface FuzzRequest {
  readonly route: string;
  readonly method: 'POST' | 'GET' | 'PUT';
  readonly path: string;
  readonly contentType?: string;
  readonly body?: string;
  /** undefined: the valid key; null: no x-api-key header at all. */
  readonly apiKey?: string | string[] | null;
  readonly headers?: Record<string, string>;
  readonly broken: string;
  readonly expect: Expectation;
}

const take = <T>(arb: fc.Arbitrary<T>, n: number, offset: number) =>
  fc.sample(arb, { numRuns: n, seed: SEED + offset });
const JSON_TYPE = 'application/json';
const VALID_BODIES: Record<string, string> = {
  '/sms': JSON.stringify({ to: '0812345678', message: 'hi' }),
  '/alerts': JSON.stringify({ to: ['0812345678'], message: 'hi' }),
  '/otp/request': JSON.stringify({ phone: '0812345678' }),
  '/otp/verify': JSON.stringify({ token: 'never-issued-token', pin: '123456' }),
};

/** An unknown id is 404; a segment that is not valid percent-encoding is refused before any lookup. */
function idExpectation(id: string): Expectation {
  try {
    decodeURIComponent(id);
    return 404;
  } catch {
    return 'refused';
  }
}

/** Every request here is invalid: none may reach the sandbox. */
function invalidRequests(): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const post = (route: string, path: string, b: { body: string; broken: string }): FuzzRequest => ({
    route,
    method: 'POST',
    path,
    contentType: JSON_TYPE,
    ...b,
    expect: 'refused',
  });
  for (const b of take(smsBodies(), PER_ROUTE.sms, 1)) out.push(post('POST /sms', '/sms', b));
  for (const b of take(alertBodies(), PER_ROUTE.alerts, 2)) out.push(post('POST /alerts', '/alerts', b));
  for (const b of take(otpRequestBodies(), PER_ROUTE.otpRequest, 3))
    out.push(post('POST /otp/request', '/otp/request', b));
  for (const b of take(otpVerifyBodies(), PER_ROUTE.otpVerify, 4)) out.push(post('POST /otp/verify', '/otp/verify', b));

  // Webhook bodies: with the right token anything goes (200, or 4xx when not a JSON object);
  // with a wrong token exactly 404 — for bodies the JSON parser takes, so the token check decides.
  take(webhookBodies(), PER_ROUTE.webhook, 5).forEach((b, i) => {
    const method = i % 3 === 0 ? 'PUT' : 'POST';
    const parsable = /^\s*[[{]/.test(b.body);
    const wrong = i % 4 === 0 && parsable;
    out.push({
      route: `${method} webhook${wrong ? ' (wrong token)' : ''}`,
      method,
      path: `/webhooks/thaibulksms/${wrong ? WRONG_TOKEN : WEBHOOK_TOKEN}`,
      contentType: JSON_TYPE,
      apiKey: null,
      ...b,
      expect: wrong ? 404 : 'webhook',
    });
  });
  take(junkQueries(), PER_ROUTE.webhookGet, 6).forEach((q, i) => {
    const wrong = i % 4 === 0;
    out.push({
      route: `GET webhook${wrong ? ' (wrong token)' : ''}`,
      method: 'GET',
      path: `/webhooks/thaibulksms/${wrong ? WRONG_TOKEN : WEBHOOK_TOKEN}?${q.query}`,
      apiKey: null,
      broken: q.broken,
      expect: wrong ? 404 : 200,
    });
  });
  // Queueing is off here: every id is unknown (404), unless it is not even decodable (400).
  for (const a of take(alertIds(), PER_ROUTE.alertId, 7))
    out.push({
      route: 'GET /alerts/:id',
      method: 'GET',
      path: `/alerts/${a.id}`,
      broken: a.broken,
      expect: idExpectation(a.id),
    });

  const routes = ['/sms', '/alerts', '/otp/request', '/otp/verify', `/webhooks/thaibulksms/${WEBHOOK_TOKEN}`];
  take(rawBadBodies(), PER_ROUTE.raw, 8).forEach((b, i) => {
    const path = routes[i % routes.length];
    out.push({
      route: 'raw bytes',
      method: 'POST',
      path,
      ...b,
      expect: path.startsWith('/webhooks/') ? 'webhook' : 'refused',
    });
  });

  // A valid body (or a GET) with a bad key: refused before anything is read or sent.
  const keyed: [string, 'POST' | 'GET', string][] = [
    ['POST /sms', 'POST', '/sms'],
    ['POST /alerts', 'POST', '/alerts'],
    ['POST /otp/request', 'POST', '/otp/request'],
    ['POST /otp/verify', 'POST', '/otp/verify'],
    ['GET /credit', 'GET', '/credit'],
    ['GET /alerts/:id', 'GET', '/alerts/some-id'],
  ];
  take(badApiKeys(APP_KEY), PER_ROUTE.apiKey, 9).forEach((k, i) => {
    const [route, method, path] = keyed[i % keyed.length];
    out.push({
      route: `${route} (bad key)`,
      method,
      path,
      ...(method === 'POST' && { contentType: JSON_TYPE, body: VALID_BODIES[path] }),
      apiKey: k.key === undefined ? null : k.key,
      broken: k.broken,
      expect: 'refused',
    });
  });
  // A valid JSON body under a content type that is not JSON: never read as the valid body.
  take(nonJsonContentTypes(), PER_ROUTE.contentType, 10).forEach((c, i) => {
    const path = Object.keys(VALID_BODIES)[i % 4];
    out.push({
      route: `POST ${path} (content-type)`,
      method: 'POST',
      path,
      contentType: c.contentType,
      body: VALID_BODIES[path],
      broken: c.broken,
      expect: 'refused',
    });
  });
  return out;
}

/**
 * Junk the app may ignore: query strings and odd headers on GET /credit and GET /health. Each is
 * answered 200 and costs no more than the route's own credit call: one per /credit, and one check
 * (cached) for every /health together.
 */
function toleratedRequests(): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  take(junkQueries(), PER_ROUTE.tolerated, 11).forEach((q, i) => {
    const health = i % 2 === 0;
    out.push({
      route: health ? 'GET /health (junk)' : 'GET /credit (junk)',
      method: 'GET',
      path: `${health ? '/health' : '/credit'}?${q.query}`,
      // /health needs no key: a wrong one must not matter either.
      ...(health && { apiKey: i % 4 === 0 ? 'not-a-key' : null }),
      headers: {
        accept: ['*/*', 'text/html', 'application/xml', 'x/y;q=0'][i % 4],
        'content-type': ['text/plain', 'application/json', ''][i % 3],
      },
      broken: q.broken,
      expect: 200,
    });
  });
  return out;
}

function errorOf(res: RawResponse): unknown {
  try {
    return (res.json() as { error?: unknown } | null)?.error;
  } catch {
    return undefined;
  }
}

function problemOf(r: FuzzRequest, res: RawResponse): string | undefined {
  if (res.status >= 500) return 'a 5xx';
  const named = typeof errorOf(res) === 'string';
  const refused =
    res.status >= 400 && res.status < 500
      ? named
        ? undefined
        : 'a 4xx without `error`'
      : `a ${res.status} to an invalid request`;
  switch (r.expect) {
    case 200:
      return res.status === 200 ? undefined : `a ${res.status}, not 200`;
    case 404:
      return res.status === 404 && named ? undefined : `a ${res.status}${named ? '' : ' without `error`'}, not 404`;
    case 'webhook':
      return res.status === 200 ? undefined : refused;
    case 'refused':
      return refused;
  }
}

interface Tally {
  readonly statuses: Map<string, Map<number, number>>;
  readonly failures: string[];
  problems: number;
}

async function fire(client: RawClient, key: string, requests: readonly FuzzRequest[], tally: Tally): Promise<void> {
  await pool(requests, 16, async (r) => {
    const headers: Record<string, string | string[]> = { ...r.headers };
    if (r.apiKey !== null) headers['x-api-key'] = r.apiKey ?? key;
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    const res = await client.request(r.method, r.path, r.body, headers);
    const perRoute = tally.statuses.get(r.route) ?? new Map<number, number>();
    perRoute.set(res.status, (perRoute.get(res.status) ?? 0) + 1);
    tally.statuses.set(r.route, perRoute);
    const problem = problemOf(r, res);
    if (!problem) return;
    tally.problems++;
    if (tally.failures.length < 20)
      tally.failures.push(
        `${problem}: ${r.route} [${r.broken}] ${res.status} ${res.text.slice(0, 200)} <- ${r.path.slice(0, 200)} ${(r.body ?? '').slice(0, 300)}`,
      );
  });
}

const newTally = (): Tally => ({ statuses: new Map(), failures: [], problems: 0 });
const sandboxTotal = (requests: Record<string, number>) => Object.values(requests).reduce((n, x) => n + x, 0);
const statusRows = (t: Tally) =>
  [...t.statuses].map(([route, m]) => [
    route,
    [...m]
      .sort(([a], [b]) => a - b)
      .map(([s, c]) => `${s}x${c}`)
      .join(' '),
  ]);
const asObject = (t: Tally) => Object.fromEntries([...t.statuses].map(([k, m]) => [k, Object.fromEntries(m)]));

const figures: Record<string, unknown> = { seed: SEED };
let canarySeen: number | undefined;

afterAll(() => {
  const fiveXx = ['statuses', 'queuedStatuses', 'toleratedStatuses']
    .map((k) => (figures[k] ?? {}) as Record<string, Record<string, number>>)
    .flatMap((byRoute) => Object.values(byRoute).flatMap((m) => Object.entries(m)))
    .reduce((n, [s, c]) => n + (Number(s) >= 500 ? c : 0), 0);
  writeFragment('fuzz', {
    ...figures,
    badInputsTried: ((figures.invalidRequests as number) ?? 0) + ((figures.queuedRequests as number) ?? 0),
    fiveXx,
    problems:
      ((figures.invalidProblems as number) ?? 0) +
      ((figures.queuedProblems as number) ?? 0) +
      ((figures.toleratedProblems as number) ?? 0),
    sandboxRequests: ((figures.sandboxRequests as number) ?? 0) + ((figures.queuedSandboxRequests as number) ?? 0),
    ...processFaultFigures(canarySeen),
  });
});

describe('Fuzzing every sample route with bad input', () => {
  let t: TestApp;
  let client: RawClient;

  beforeAll(async () => {
    t = await createTestApp({
      listen: true,
      env: {
        THAIBULKSMS_MAX_TPS: '0',
        APP_API_KEYS: APP_KEY,
        DELIVERY_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
        // Keep the per-IP OTP limits out of the way so validation itself is exercised.
        OTP_IP_LIMIT: '1000000',
        OTP_VERIFY_IP_LIMIT: '1000000',
        // One health check for the whole run, however long it takes on a busy machine.
        HEALTH_CACHE_SECONDS: '3600',
      },
    });
    client = new RawClient(t.url!);
  });
  beforeEach(() => t.sandbox.reset());
  afterAll(async () => {
    client.close();
    await t.close();
  });

  it.each([
    ['__proto__ key', '{"__proto__":{"polluted":1},"to":"0812345678","message":"hi"}'],
    ['constructor key', '{"constructor":{"prototype":{"polluted":1}},"to":"0812345678","message":"hi"}'],
    ['hasOwnProperty key', '{"hasOwnProperty":1,"to":"0812345678","message":"hi"}'],
    ['toString key', '{"toString":false,"to":"0812345678","message":"hi"}'],
    ['deeply nested array', '['.repeat(5_000) + ']'.repeat(5_000)],
    ['deeply nested field', `{"to":"0812345678","message":"hi","tags":${'['.repeat(5_000)}${']'.repeat(5_000)}}`],
  ])('found by fuzzing: a body with a %s answers 400 ERROR_FORM and sends nothing', async (_, body) => {
    for (const path of ['/sms', '/alerts']) {
      const res = await client.request('POST', path, body, {
        'x-api-key': APP_KEY,
        'content-type': 'application/json',
      });
      expect(res.status).toBe(400);
      expect(res.json().error).toBe('ERROR_FORM');
    }
    expect(t.sandbox.stats().requests['/sms'] ?? 0).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('canary: the valid key and a valid body do reach the sandbox (so "0 requests" below can fail)', async () => {
    const res = await client.request('POST', '/sms', VALID_BODIES['/sms'], {
      'x-api-key': APP_KEY,
      'content-type': JSON_TYPE,
    });
    expect(res.status).toBe(201);
    expect(t.sandbox.stats().requests['/sms']).toBe(1);
  });

  it('answers >= 10,000 invalid inputs with the expected 4xx carrying `error` (webhook: 200 / 404), no 5xx, nothing sent', async () => {
    const started = Date.now();
    const requests = invalidRequests();
    expect(requests.length).toBeGreaterThanOrEqual(10_000);
    const tally = newTally();
    await fire(client, APP_KEY, requests, tally);
    const seconds = (Date.now() - started) / 1000;
    const sandbox = t.sandbox.stats().requests;
    // Nothing polluted the process' prototypes.
    const polluted = Object.keys(Object.prototype).length + Object.keys(Array.prototype).length;
    printTable(
      `Fuzz: ${requests.length} invalid inputs in ${seconds.toFixed(1)} s (seed ${SEED}); ${sandboxTotal(sandbox)} requests reached the sandbox; ${tally.problems} problems`,
      statusRows(tally),
      ['route', 'statuses'],
    );
    Object.assign(figures, {
      invalidRequests: requests.length,
      seconds,
      invalidProblems: tally.problems,
      sandboxRequests: sandboxTotal(sandbox),
      prototypePollution: polluted,
      statuses: asObject(tally),
      kinds: new Set(requests.map((r) => `${r.route}: ${r.broken}`)).size,
    });
    expect(tally.failures).toEqual([]);
    expect(sandbox).toEqual({});
    expect(polluted).toBe(0);
  }, 180_000);

  it('ignores junk query strings and headers on GET /credit and GET /health: 200, one credit call per /credit and one for every /health (cached), nothing else', async () => {
    const requests = toleratedRequests();
    const tally = newTally();
    await fire(client, APP_KEY, requests, tally);
    const sandbox = t.sandbox.stats().requests;
    printTable(
      `Fuzz: ${requests.length} tolerated junk inputs; sandbox saw ${JSON.stringify(sandbox)}`,
      statusRows(tally),
      ['route', 'statuses'],
    );
    Object.assign(figures, {
      toleratedRequests: requests.length,
      toleratedProblems: tally.problems,
      toleratedStatuses: asObject(tally),
      toleratedSandbox: sandbox,
    });
    expect(tally.failures).toEqual([]);
    const creditRequests = requests.filter((r) => r.route.startsWith('GET /credit')).length;
    expect(sandbox).toEqual({ '/credit': creditRequests + 1 });
  }, 60_000);

  it('canary: one deliberate unhandled rejection is counted exactly once; then none was seen', async () => {
    canarySeen = await unhandledRejectionCanary();
    expect(canarySeen).toBe(1);
    expect(processFaults().unhandledRejections.map((f) => f.text)).toEqual([]);
    expect(processFaults().uncaughtExceptions.map((f) => f.text)).toEqual([]);
  });
});

describeWithRedis('Fuzzing POST /alerts and GET /alerts/:id with QUEUE_ENABLED=true (real Redis)', () => {
  const redisUrl = testRedisUrl();
  const prefix = `t-fuzz-${process.pid}-${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let client: RawClient;
  let queue: SmsQueue;
  const jobCount = async () => {
    const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  beforeAll(async () => {
    t = await createTestApp({
      listen: true,
      // The queue needs a finite account-wide limit; this one never holds the canary's send back.
      env: {
        QUEUE_ENABLED: 'true',
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        THAIBULKSMS_MAX_TPS: '10000',
        APP_API_KEYS: APP_KEY,
      },
    });
    client = new RawClient(t.url!);
    queue = t.app.get(SmsQueue);
  });
  afterAll(async () => {
    client?.close();
    await t?.close();
    await obliterateQueue('thaibulksms', redisUrl, prefix);
    await deleteRedisKeys(redisUrl, prefix);
  });

  it('refuses every invalid queued alert (dedupeKey included) and every unknown id: 4xx with `error`, nothing queued, nothing sent', async () => {
    // Canary: a valid alert is queued (so "nothing queued" below can fail).
    const ok = await client.request(
      'POST',
      '/alerts',
      JSON.stringify({ to: ['0812345678'], message: 'hi', dedupeKey: `${prefix}-ok` }),
      { 'x-api-key': APP_KEY, 'content-type': JSON_TYPE },
    );
    expect(ok.status).toBe(202);
    const before = await jobCount();
    expect(before).toBeGreaterThan(0);
    // Its send is the only one the sandbox may see: wait for the worker to make it.
    const deadline = Date.now() + 10_000;
    while ((t.sandbox.stats().requests['/sms'] ?? 0) < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(t.sandbox.stats().requests['/sms']).toBe(1);
    t.sandbox.reset();

    const requests: FuzzRequest[] = [
      ...take(queuedAlertBodies(), PER_ROUTE.queued, 12).map((b): FuzzRequest => ({
        route: 'POST /alerts (queued)',
        method: 'POST',
        path: '/alerts',
        contentType: JSON_TYPE,
        ...b,
        expect: 'refused',
      })),
      ...take(alertIds(), PER_ROUTE.queuedId, 13).map((a): FuzzRequest => ({
        route: 'GET /alerts/:id (queued)',
        method: 'GET',
        path: `/alerts/${a.id}`,
        broken: a.broken,
        expect: idExpectation(a.id),
      })),
    ];
    const tally = newTally();
    await fire(client, APP_KEY, requests, tally);
    const sandbox = t.sandbox.stats().requests;
    const added = (await jobCount()) - before;
    printTable(
      `Fuzz (queue mode): ${requests.length} invalid inputs; ${added} jobs queued; ${sandboxTotal(sandbox)} sandbox requests; ${tally.problems} problems`,
      statusRows(tally),
      ['route', 'statuses'],
    );
    Object.assign(figures, {
      queuedRequests: requests.length,
      queuedProblems: tally.problems,
      queuedStatuses: asObject(tally),
      queuedJobsAdded: added,
      queuedSandboxRequests: sandboxTotal(sandbox),
    });
    expect(tally.failures).toEqual([]);
    expect(added).toBe(0);
    expect(sandbox).toEqual({});
  }, 120_000);
});
