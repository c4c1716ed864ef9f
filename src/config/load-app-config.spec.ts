import { loadAppConfig } from './load-app-config';
import { problemsOf } from './config.test-util';
import { DEV_API_KEY } from './namespaces/app.config';

const LIVE = {
  THAIBULKSMS_API_KEY: 'live-key',
  THAIBULKSMS_API_SECRET: 'live-secret-value',
  THAIBULKSMS_OTP_KEY: 'otp-key',
  THAIBULKSMS_OTP_SECRET: 'otp-secret-value',
  APP_API_KEYS: 'caller-key-0123456789',
  COMPLIANCE_ERASURE_KEY: 'caller-erasure-key-0123456789abcdefgh',
};

describe('loadAppConfig', () => {
  it('a fresh clone (empty environment) runs in sandbox mode with the development key and the documented defaults', () => {
    const c = loadAppConfig({});
    expect(c).toMatchObject({
      sandbox: { enabled: true, reason: 'THAIBULKSMS_API_KEY is not set' },
      app: { apiKeys: [DEV_API_KEY], usingDevApiKey: true, logFormat: 'text' },
      http: { port: 3000, host: '127.0.0.1', bodyLimitBytes: 102400 },
      thaibulksms: { sender: 'SMS.', force: 'standard', timeoutMs: 10000, maxTps: 120 },
      health: { minCredit: undefined },
      otp: {
        phoneCooldownSeconds: 60,
        phoneDailyLimit: 5,
        ipLimit: 20,
        verifyIpLimit: 60,
        verifyMaxAttempts: 5,
        tokenTtlSeconds: 300,
      },
    });
    // The sandbox calls the app back: a webhook token is made up for this run.
    expect(c.delivery.webhookToken).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('with credentials set, runs live (no sandbox) on all interfaces', () => {
    const c = loadAppConfig(LIVE);
    expect(c).toMatchObject({
      sandbox: { enabled: false },
      http: { host: '0.0.0.0' },
      app: { apiKeys: ['caller-key-0123456789'], usingDevApiKey: false },
    });
    expect(c.delivery.webhookToken).toBeUndefined();
  });

  it('THAIBULKSMS_SANDBOX=true forces the sandbox even with credentials', () => {
    expect(loadAppConfig({ ...LIVE, THAIBULKSMS_SANDBOX: 'true' })).toMatchObject({
      sandbox: { enabled: true, reason: 'THAIBULKSMS_SANDBOX=true' },
    });
  });

  it('THAIBULKSMS_SANDBOX=false without credentials refuses to start, naming what is missing', () => {
    const problems = problemsOf({ THAIBULKSMS_SANDBOX: 'false' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('THAIBULKSMS_API_KEY is required outside sandbox mode'),
        expect.stringContaining('THAIBULKSMS_OTP_SECRET is required'),
        expect.stringContaining('APP_API_KEYS is required outside sandbox mode'),
      ]),
    );
  });

  it('outside sandbox mode refuses to start without APP_API_KEYS, with a clear message', () => {
    const { APP_API_KEYS: _omit, ...env } = LIVE;
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^APP_API_KEYS is required outside sandbox mode: .*x-api-key/);
  });

  it('refuses short keys and the public development key outside sandbox mode', () => {
    expect(problemsOf({ ...LIVE, APP_API_KEYS: 'short' })).toEqual([expect.stringContaining('shorter than 16')]);
    expect(problemsOf({ ...LIVE, APP_API_KEYS: DEV_API_KEY })).toEqual([
      expect.stringContaining('public development key'),
    ]);
  });

  it('in production, refuses an implicit sandbox and a missing APP_API_KEYS', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      expect.stringContaining('NODE_ENV=production but THAIBULKSMS_API_KEY is not set'),
      expect.stringContaining('APP_API_KEYS is required when NODE_ENV=production'),
    ]);
    expect(loadAppConfig({ ...LIVE, NODE_ENV: 'production' }).app.logFormat).toBe('json');
  });

  it('collects every problem at once and never echoes a secret', () => {
    const problems = problemsOf({
      ...LIVE,
      THAIBULKSMS_API_SECRET: '',
      PORT: 'eighty',
      THAIBULKSMS_FORCE: 'premium',
      THAIBULKSMS_TIMEOUT_MS: '-1',
      THAIBULKSMS_SANDBOX: 'maybe',
      THAIBULKSMS_BASE_URL: 'ftp://x',
      LOG_FORMAT: 'xml',
      OTP_PHONE_DAILY_LIMIT: '0',
    });
    expect(problems.length).toBeGreaterThanOrEqual(8);
    const text = problems.join('\n');
    for (const name of [
      'THAIBULKSMS_API_SECRET',
      'PORT',
      'THAIBULKSMS_FORCE',
      'THAIBULKSMS_TIMEOUT_MS',
      'THAIBULKSMS_SANDBOX',
      'THAIBULKSMS_BASE_URL',
      'LOG_FORMAT',
      'OTP_PHONE_DAILY_LIMIT',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('live-secret-value');
    expect(text).not.toContain('otp-secret-value');
  });

  it('needs DELIVERY_WEBHOOK_TOKEN with PUBLIC_BASE_URL outside sandbox mode, and checks its shape', () => {
    expect(problemsOf({ ...LIVE, PUBLIC_BASE_URL: 'https://app.example.com' })).toEqual([
      expect.stringContaining('DELIVERY_WEBHOOK_TOKEN'),
    ]);
    expect(problemsOf({ ...LIVE, DELIVERY_WEBHOOK_TOKEN: 'short' })).toEqual([
      expect.stringContaining('DELIVERY_WEBHOOK_TOKEN must be'),
    ]);
    const c = loadAppConfig({
      ...LIVE,
      PUBLIC_BASE_URL: 'https://app.example.com/',
      DELIVERY_WEBHOOK_TOKEN: 'a'.repeat(20),
    });
    expect(c.delivery).toEqual({
      publicBaseUrl: 'https://app.example.com',
      webhookToken: 'a'.repeat(20),
      webhookTokenGenerated: false,
    });
  });

  it('marks a webhook token it made up (sandbox mode without DELIVERY_WEBHOOK_TOKEN), the only one the banner may print', () => {
    expect(loadAppConfig({}).delivery.webhookTokenGenerated).toBe(true);
    expect(loadAppConfig({ PUBLIC_BASE_URL: 'https://app.example.com' }).delivery.webhookTokenGenerated).toBe(true);
    expect(loadAppConfig({ DELIVERY_WEBHOOK_TOKEN: 'b'.repeat(20) }).delivery).toMatchObject({
      webhookToken: 'b'.repeat(20),
      webhookTokenGenerated: false,
    });
  });

  it("sandbox mode: reads SANDBOX_CREDIT_STANDARD, SANDBOX_CREDIT_CORPORATE and SANDBOX_SENDERS with the library's reader", () => {
    expect(loadAppConfig({}).sandbox.settings).toEqual({
      credits: { standard: 10000, corporate: 10000 },
      senders: ['SMS.', 'Demo', 'MySMS'],
    });
    const c = loadAppConfig({
      SANDBOX_CREDIT_STANDARD: '5',
      SANDBOX_CREDIT_CORPORATE: '0',
      SANDBOX_SENDERS: 'Acme,Shop',
      THAIBULKSMS_SENDER: 'Acme',
    });
    expect(c.sandbox.settings).toEqual({ credits: { standard: 5, corporate: 0 }, senders: ['Acme', 'Shop'] });
    expect(problemsOf({ SANDBOX_CREDIT_STANDARD: 'lots', SANDBOX_SENDERS: ' , ' })).toEqual([
      expect.stringContaining('SANDBOX_CREDIT_STANDARD'),
      expect.stringContaining('SANDBOX_SENDERS'),
    ]);
    // Port and credentials stay the app's own checks: one message each, not two.
    expect(problemsOf({ SANDBOX_PORT: 'x' })).toEqual([expect.stringContaining('SANDBOX_PORT')]);
    expect(problemsOf({ THAIBULKSMS_API_KEY: 'k', THAIBULKSMS_SANDBOX: 'true' })).toHaveLength(1);
  });

  it('outside sandbox mode ignores the SANDBOX_* settings', () => {
    const c = loadAppConfig({ ...LIVE, SANDBOX_CREDIT_STANDARD: 'lots' });
    expect(c.sandbox.settings).toBeUndefined();
  });

  it('reads the OTP limits, body limit and proxy hops', () => {
    const c = loadAppConfig({
      OTP_PHONE_COOLDOWN_SECONDS: '30',
      OTP_PHONE_DAILY_LIMIT: '9',
      OTP_IP_LIMIT: '7',
      OTP_VERIFY_IP_LIMIT: '11',
      OTP_IP_WINDOW_SECONDS: '600',
      OTP_VERIFY_MAX_ATTEMPTS: '3',
      OTP_TOKEN_TTL_SECONDS: '120',
      BODY_LIMIT_BYTES: '2048',
      TRUST_PROXY_HOPS: '1',
      THAIBULKSMS_MIN_CREDIT: '50',
    });
    expect(c.otp).toEqual({
      phoneCooldownSeconds: 30,
      phoneDailyLimit: 9,
      ipLimit: 7,
      verifyIpLimit: 11,
      ipWindowSeconds: 600,
      verifyMaxAttempts: 3,
      tokenTtlSeconds: 120,
    });
    expect(c).toMatchObject({ http: { bodyLimitBytes: 2048, trustProxy: 1 }, health: { minCredit: 50 } });
  });
});
