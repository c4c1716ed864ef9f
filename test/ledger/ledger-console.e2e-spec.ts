import request from 'supertest';
import { LedgerUnavailableError, MessageLedger } from '@app/thai-bulk-sms/ledger';
import { createTestApp, TestApp } from '../support/test-app';
import { api, LEDGER_WEBHOOK_TOKEN, report, sendThroughApp } from './ledger-app.support';

/**
 * The operator console over HTTP: who gets in (x-api-key, or a session cookie signed by a key),
 * the cookie's attributes and contents, the page's security headers, POST-only sign-in and
 * sign-out refused from another origin, and erasure reaching the console too. Chromium drives
 * the same pages in ledger-console.chromium.e2e-spec.ts.
 */

jest.setTimeout(60_000);

const LEDGER_ENV = { LEDGER_ENABLED: 'true', LEDGER_DATA_DIR: 'memory', DELIVERY_WEBHOOK_TOKEN: LEDGER_WEBHOOK_TOKEN };

function signIn(t: TestApp, key = t.key, headers: Record<string, string> = {}) {
  return request(t.server).post('/console/sign-in').set(headers).type('form').send({ key });
}

function sessionCookie(res: request.Response): string {
  const cookies: unknown = res.headers['set-cookie'];
  const list = Array.isArray(cookies) ? (cookies as string[]) : [];
  return list.find((c) => c.startsWith('console_session='))!;
}

describe('operator console (/console) over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ env: LEDGER_ENV })));
  afterAll(() => t?.close());

  it('answers the page to x-api-key, a sign-in page (401) to anyone else', async () => {
    const page = await request(t.server).get('/console').set('x-api-key', t.key).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('id="daily-chart"');
    const anonymous = await request(t.server).get('/console').expect(401);
    expect(anonymous.text).toContain('action="/console/sign-in"');
    expect(anonymous.text).not.toContain('daily-chart');
    await request(t.server).get('/console').set('x-api-key', 'wrong-key-wrong-key').expect(401);
    await request(t.server).get('/console/messages/anything').expect(401);
  });

  it('sets a strict Content-Security-Policy and no-cache, no-frame headers', async () => {
    const page = await request(t.server).get('/console').set('x-api-key', t.key).expect(200);
    const csp = page.headers['content-security-policy'];
    expect(csp).toMatch(
      /^default-src 'none'; style-src 'nonce-[0-9a-f]{32}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
    );
    expect(csp).not.toContain('unsafe');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(page.text).toContain(`<style nonce="${nonce}">`);
    expect(page.text).not.toMatch(/<script/i);
    expect(page.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
    });
  });

  it('signs in with a key: an HttpOnly, SameSite=Strict cookie that holds no key, then signs out', async () => {
    const res = await signIn(t).expect(303);
    expect(res.headers.location).toBe('/console');
    const cookie = sessionCookie(res);
    expect(cookie).toMatch(
      /^console_session=v1\.\d+\.[\w-]+\.[\w-]+; Path=\/console; Max-Age=28800; HttpOnly; SameSite=Strict$/,
    );
    expect(cookie).not.toContain(t.key);
    expect(cookie).not.toContain(encodeURIComponent(t.key));
    const value = cookie.split(';')[0];
    const page = await request(t.server).get('/console').set('Cookie', value).expect(200);
    expect(page.text).toContain('action="/console/sign-out"');

    const out = await request(t.server).post('/console/sign-out').set('Cookie', value).expect(303);
    expect(sessionCookie(out)).toMatch(/^console_session=; Path=\/console; Max-Age=0; HttpOnly; SameSite=Strict$/);
  });

  it('refuses a wrong key, a forged or expired session, and sign-in or sign-out from another origin', async () => {
    const wrong = await signIn(t, 'not-one-of-the-keys').expect(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.text).toContain('not one of the app');

    const value = sessionCookie(await signIn(t).expect(303)).split(';')[0];
    const [name, token] = value.split('=');
    const parts = token.split('.');
    const forgedExpiry = `${name}=${[parts[0], String(Number(parts[1]) + 86_400), parts[2], parts[3]].join('.')}`;
    const forgedMac = `${name}=${[...parts.slice(0, 3), 'A'.repeat(43)].join('.')}`;
    for (const cookie of [forgedExpiry, forgedMac, `${name}=${t.key}`])
      await request(t.server).get('/console').set('Cookie', cookie).expect(401);

    const crossSite = await signIn(t, t.key, { Origin: 'https://evil.example' }).expect(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
    await request(t.server).post('/console/sign-out').set('Origin', 'https://evil.example').expect(403);
    await request(t.server).get('/console/sign-in').expect(404);

    t.clock.advance(28_800_000 + 1000);
    try {
      await request(t.server).get('/console').set('Cookie', value).expect(401);
    } finally {
      t.clock.advance(-(28_800_000 + 1000));
    }
  });

  it("answers a 503 page when the ledger's database does not answer", async () => {
    const ledger = t.app.get(MessageLedger);
    const down = jest
      .spyOn(ledger, 'dailySeries')
      .mockRejectedValue(new LedgerUnavailableError('build the daily series', new Error('connection refused')));
    try {
      const page = await request(t.server).get('/console').set('x-api-key', t.key).expect(503);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('The ledger is unavailable');
      expect(page.text).not.toContain('connection refused');
    } finally {
      down.mockRestore();
    }
  });

  it('shows nothing of an erased number', async () => {
    const [id] = await sendThroughApp(t, {
      to: '0813330001',
      tags: ['console-erase'],
      message: 'Console erasure text',
    });
    await report(t, { message_id: id, status: 'delivered' });
    await api(t).post('/otp/request', { phone: '0813330001' }).expect(201);
    const before = await request(t.server).get('/console').query({ q: '0813330001' }).set('x-api-key', t.key);
    expect(before.text).toContain(id);
    expect(before.text).toContain('id="otps"');
    const foundById = await request(t.server).get('/console').query({ q: id }).set('x-api-key', t.key);
    expect(foundById.text).toContain('66813330001');
    const timeline = await request(t.server).get(`/console/messages/${id}`).set('x-api-key', t.key).expect(200);
    expect(timeline.text).toContain('id="timeline"');
    // LEDGER_MESSAGE_TEXT=hash (the default): the fingerprint, never the text.
    expect(timeline.text).toContain('SHA-256');
    expect(timeline.text).not.toContain('Console erasure text');
    await api(t).delete('/subjects/0813330001').expect(200);
    const after = await request(t.server).get('/console').query({ q: '0813330001' }).set('x-api-key', t.key);
    expect(after.text).toContain('Nothing found.');
    expect(after.text).not.toContain(id);
    expect(after.text).not.toContain('id="otps"');
    await request(t.server).get(`/console/messages/${id}`).set('x-api-key', t.key).expect(404);
    const byId = await request(t.server).get('/console').query({ q: id }).set('x-api-key', t.key);
    expect(byId.text).toContain('Nothing found.');
  });
});

describe('operator console behind an https proxy', () => {
  it('marks the session cookie Secure', async () => {
    const t = await createTestApp({ env: { ...LEDGER_ENV, TRUST_PROXY_HOPS: '1' } });
    try {
      const res = await signIn(t, t.key, { 'X-Forwarded-Proto': 'https' }).expect(303);
      expect(sessionCookie(res)).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
      const plain = await signIn(t).expect(303);
      expect(sessionCookie(plain)).not.toContain('Secure');
    } finally {
      await t.close();
    }
  });
});

describe('operator console with LEDGER_MESSAGE_TEXT=full', () => {
  it('shows the text as sent', async () => {
    const t = await createTestApp({ env: { ...LEDGER_ENV, LEDGER_MESSAGE_TEXT: 'full' } });
    try {
      const [id] = await sendThroughApp(t, { to: '0813330002', message: 'Kept <in> full' });
      const page = await request(t.server).get(`/console/messages/${id}`).set('x-api-key', t.key).expect(200);
      expect(page.text).toContain('Kept &lt;in&gt; full');
    } finally {
      await t.close();
    }
  });
});
