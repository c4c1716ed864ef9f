import { call, FakeClock, postJson, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

describe('sandbox inbox page and JSON endpoints', () => {
  const clock = new FakeClock();
  let sandbox: ThaiBulkSmsSandbox;
  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('serves the page at / with a script-blocking CSP', async () => {
    const page = await call(`${sandbox.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).toContain('/__sandbox/messages');
  });

  it('builds the DOM from text only: no HTML sinks anywhere in the page', async () => {
    const page = await call(`${sandbox.url}/`);
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function']) {
      expect(page.text).not.toContain(sink);
    }
    expect(page.text).toContain('textContent');
  });

  it('lists messages newest first, filters by number in any form, and keeps markup as data', async () => {
    await postSms(sandbox, { ...SEND, msisdn: '0812345678', message: 'first' });
    await postSms(sandbox, { ...SEND, msisdn: '0898765432', message: '<script>alert(1)</script>' });
    const all = await call(`${sandbox.url}/__sandbox/messages`);
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(2);
    expect(all.json.messages.map((m: { message: string }) => m.message)).toEqual([
      '<script>alert(1)</script>',
      'first',
    ]);
    expect(all.json.messages[0]).toMatchObject({
      phone: '66898765432',
      sender: 'SMS.',
      parts: 1,
      credits: 1,
      creditType: 'standard',
      status: 'accepted',
    });
    const one = await call(`${sandbox.url}/__sandbox/messages?phone=${encodeURIComponent('+66812345678')}`);
    expect(one.json.messages.map((m: { phone: string }) => m.phone)).toEqual(['66812345678']);
    const limited = await call(`${sandbox.url}/__sandbox/messages?limit=1`);
    expect(limited.json).toMatchObject({ total: 2, messages: [{ message: '<script>alert(1)</script>' }] });
  });

  it('shows OTP PINs, balances and stats', async () => {
    await postJson(`${sandbox.url}/v2/otp/request`, {
      key: sandbox.credentials.otpKey,
      secret: sandbox.credentials.otpSecret,
      msisdn: '0812345678',
    });
    await postSms(sandbox, { ...SEND, force: 'corporate' });
    const otps = await call(`${sandbox.url}/__sandbox/otps`);
    expect(otps.json.otps[0]).toMatchObject({ pin: sandbox.lastOtp()?.pin, phone: '66812345678', status: 'pending' });
    // The page counts down from the sandbox clock (a test clock here), not the browser's.
    expect(otps.json.now).toBe(clock.now());
    expect(sandbox.now()).toBe(clock.now());
    expect((await call(`${sandbox.url}/__sandbox/credits`)).json).toEqual({ standard: 10000, corporate: 9999 });
    const stats = await call(`${sandbox.url}/__sandbox/stats`);
    expect(stats.json).toEqual({
      requests: { '/v2/otp/request': 1, '/sms': 1 },
      windowsOverLimit: [],
      rejectedOverLimit: 0,
    });
    expect((await call(`${sandbox.url}/__sandbox/delivery-reports`)).json).toEqual({ total: 0, reports: [] });
  });

  it('does not count its own endpoints as API traffic', async () => {
    await call(`${sandbox.url}/__sandbox/messages`);
    await call(`${sandbox.url}/`);
    expect(sandbox.stats().requests).toEqual({});
  });

  it('POST /__sandbox/reset empties history and restores balances', async () => {
    await postSms(sandbox, SEND);
    const answer = await call(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(sandbox.messages()).toHaveLength(0);
    expect(sandbox.credits().standard).toBe(10000);
  });

  it('answers ERROR_NOT_FOUND for an unknown sandbox endpoint', async () => {
    const answer = await call(`${sandbox.url}/__sandbox/nope`);
    expect(answer.status).toBe(404);
    expect(answer.json.error.name).toBe('ERROR_NOT_FOUND');
  });
});

describe('sandbox history bounds', () => {
  it('keeps only the newest historyLimit messages and OTPs', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, historyLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await postSms(sandbox, { ...SEND, message: `m${i}` });
      expect(sandbox.messages().map((m) => m.message)).toEqual(['m2', 'm3', 'm4']);
      expect(sandbox.lastMessage()?.message).toBe('m4');
      const app = { key: sandbox.credentials.otpKey, secret: sandbox.credentials.otpSecret };
      const tokens: string[] = [];
      for (let i = 0; i < 4; i++)
        tokens.push((await postJson(`${sandbox.url}/v2/otp/request`, { ...app, msisdn: '0812345678' })).json.token);
      expect(sandbox.otps()).toHaveLength(3);
      // The evicted token is forgotten, as an expired one would be.
      const answer = await postJson(`${sandbox.url}/v2/otp/verify`, { ...app, token: tokens[0], pin: '123456' });
      expect(answer.json.errors[0].message).toBe('Token is expire.');
    } finally {
      await sandbox.close();
    }
  });
});
