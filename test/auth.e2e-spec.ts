import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';

const PROTECTED: ReadonlyArray<readonly ['get' | 'post', string, object?]> = [
  ['post', '/sms', { to: '0812345678', message: 'hi' }],
  ['post', '/alerts', { to: ['0812345678'], message: 'hi' }],
  ['post', '/otp/request', { phone: '0812345678' }],
  ['post', '/otp/verify', { token: 'abc', pin: '123456' }],
  ['get', '/credit'],
];

describe('Auth: x-api-key on every route but /health, /docs and the webhook', () => {
  let t: TestApp;
  const KEYS = ['first-key-0123456789', 'second-key-0123456789'];

  beforeAll(async () => {
    t = await createTestApp({ env: { APP_API_KEYS: KEYS.join(', ') } });
  });
  afterAll(() => t.close());
  beforeEach(() => t.sandbox.reset());

  describe.each(PROTECTED.map(([method, path, body]) => ({ method, path, body })))(
    '$method $path',
    ({ method, path, body }) => {
      it.each([
        ['no key', undefined],
        ['an empty key', ''],
        ['a wrong key', 'wrong-key-0123456789'],
        ['a prefix of a valid key', KEYS[0].slice(0, -1)],
        ['a valid key with a suffix', `${KEYS[0]}x`],
        ['the development key (APP_API_KEYS is set)', 'dev-key-change-me'],
      ])('answers 401 UNAUTHORIZED with %s, and sends nothing', async (_label, key) => {
        let req = request(t.server)[method](path);
        if (key !== undefined) req = req.set('x-api-key', key);
        const res = await (body ? req.send(body) : req);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: expect.any(String) });
        expect(t.sandbox.stats().requests).toEqual({});
      });
    },
  );

  it('accepts every key of APP_API_KEYS', async () => {
    for (const key of KEYS) {
      await request(t.server).get('/credit').set('x-api-key', key).expect(200);
    }
  });

  it('does not take the key from the query string', async () => {
    await request(t.server).get(`/credit?x-api-key=${KEYS[0]}`).expect(401);
  });

  it('leaves /health, /docs and /docs/json open', async () => {
    await request(t.server).get('/health').expect(200);
    await request(t.server).get('/docs').expect(200).expect('content-type', /html/);
    await request(t.server).get('/docs/json').expect(200);
  });

  it('answers 401 before validating the body (no hints to strangers)', async () => {
    const res = await request(t.server).post('/sms').send({ nonsense: true });
    expect(res.status).toBe(401);
  });
});

describe('Auth in sandbox mode without APP_API_KEYS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('accepts the documented development key and nothing else', async () => {
    expect(t.config.app.usingDevApiKey).toBe(true);
    await request(t.server).get('/credit').set('x-api-key', 'dev-key-change-me').expect(200);
    await request(t.server).get('/credit').set('x-api-key', 'dev-key-change-mf').expect(401);
  });
});
