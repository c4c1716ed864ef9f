import { readSandboxEnv } from './sandbox.env';
import { SandboxEnvError } from '../errors';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';
import { SANDBOX_DEFAULT_CREDENTIALS } from './sandbox.constants';

describe('readSandboxEnv (npm run sandbox)', () => {
  it('uses the documented defaults for an empty environment', () => {
    expect(readSandboxEnv({})).toEqual({
      port: 4010,
      host: '127.0.0.1',
      credits: { standard: 10000, corporate: 10000 },
      senders: ['SMS.', 'Demo', 'MySMS'],
    });
  });

  it('takes credentials, balances and senders, adding THAIBULKSMS_SENDER to the list', () => {
    const options = readSandboxEnv({
      THAIBULKSMS_API_KEY: 'key',
      THAIBULKSMS_API_SECRET: 'secret',
      THAIBULKSMS_OTP_KEY: 'otp-key',
      THAIBULKSMS_OTP_SECRET: 'otp-secret',
      SANDBOX_PORT: '5000',
      SANDBOX_CREDIT_STANDARD: '12',
      SANDBOX_CREDIT_CORPORATE: '0',
      SANDBOX_SENDERS: 'Shop, Alerts',
      THAIBULKSMS_SENDER: 'Acme',
    });
    expect(options).toEqual({
      port: 5000,
      host: '127.0.0.1',
      apiKey: 'key',
      apiSecret: 'secret',
      otpKey: 'otp-key',
      otpSecret: 'otp-secret',
      credits: { standard: 12, corporate: 0 },
      senders: ['Shop', 'Alerts', 'Acme'],
    });
  });

  it('reads SANDBOX_DELIVERY_REPORT_TARGETS as a list of http(s) URL prefixes', () => {
    expect(
      readSandboxEnv({
        SANDBOX_DELIVERY_REPORT_TARGETS: ' http://127.0.0.1:3000/webhooks/ , https://hooks.example.com ',
      }).deliveryReportTargets,
    ).toEqual(['http://127.0.0.1:3000/webhooks/', 'https://hooks.example.com']);
    expect(() =>
      readSandboxEnv({ SANDBOX_DELIVERY_REPORT_TARGETS: 'http://ok.example.com,redis://127.0.0.1:6379' }),
    ).toThrow(/SANDBOX_DELIVERY_REPORT_TARGETS entry #2 must be an http\(s\) URL/);
  });

  it('lists every problem at once and never echoes a secret', () => {
    let error: unknown;
    try {
      readSandboxEnv({
        THAIBULKSMS_API_SECRET: 'do-not-print',
        SANDBOX_PORT: '70000',
        SANDBOX_CREDIT_STANDARD: '-1',
        SANDBOX_SENDERS: ' , ',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SandboxEnvError);
    const message = (error as Error).message;
    expect(message).toContain('THAIBULKSMS_API_KEY and THAIBULKSMS_API_SECRET');
    expect(message).toContain('SANDBOX_PORT');
    expect(message).toContain('SANDBOX_CREDIT_STANDARD');
    expect(message).toContain('SANDBOX_SENDERS');
    expect(message).not.toContain('do-not-print');
  });

  it('starts a sandbox that accepts exactly the configured credentials', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({
      ...readSandboxEnv({ THAIBULKSMS_API_KEY: 'k', THAIBULKSMS_API_SECRET: 's' }),
      port: 0,
    });
    try {
      expect(sandbox.credentials).toEqual({
        apiKey: 'k',
        apiSecret: 's',
        otpKey: SANDBOX_DEFAULT_CREDENTIALS.otpKey,
        otpSecret: SANDBOX_DEFAULT_CREDENTIALS.otpSecret,
      });
      const auth = (key: string, secret: string) => ({
        authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
      });
      expect((await fetch(`${sandbox.url}/credit`, { headers: auth('k', 's') })).status).toBe(200);
      expect(
        (
          await fetch(`${sandbox.url}/credit`, {
            headers: auth(SANDBOX_DEFAULT_CREDENTIALS.apiKey, SANDBOX_DEFAULT_CREDENTIALS.apiSecret),
          })
        ).status,
      ).toBe(401);
    } finally {
      await sandbox.close();
    }
  });
});

describe('ThaiBulkSmsSandbox.start options', () => {
  it('refuses invalid options before listening', async () => {
    await expect(ThaiBulkSmsSandbox.start({ port: 0, maxTps: -1 })).rejects.toThrow(/maxTps/);
    await expect(ThaiBulkSmsSandbox.start({ port: 0, apiKey: '' })).rejects.toThrow(/apiKey/);
    await expect(ThaiBulkSmsSandbox.start({ port: 0, failingNumbers: ['123'] })).rejects.toThrow(/failingNumbers/);
  });

  it('listens on 127.0.0.1 on a free port and closes keep-alive connections', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await fetch(`${sandbox.url}/__sandbox/credits`);
    await sandbox.close();
    await expect(fetch(`${sandbox.url}/__sandbox/credits`)).rejects.toThrow();
  });
});
