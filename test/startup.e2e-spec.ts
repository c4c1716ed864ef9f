import { holdRequest } from './support/held-request';
import { startMain, MainProcess } from './support/main-process';

jest.setTimeout(40_000);

describe('Starting the app (src/main.ts)', () => {
  let proc: MainProcess | undefined;
  afterEach(async () => {
    proc?.kill('SIGKILL');
    await proc?.exited;
    proc = undefined;
  });

  it('on a fresh clone (no .env, no variables) runs against the embedded sandbox and prints the Swagger URL, the inbox URL and a dev key; shuts down gracefully', async () => {
    proc = startMain({});
    const [, appUrl] = await proc.waitFor(/Swagger UI:\s+(http:\/\/\S+)\/docs/);
    const [, inboxUrl] = await proc.waitFor(/Sandbox inbox:\s+(http:\/\/\S+)\//);
    await proc.waitFor(/Dev API key:\s+dev-key-change-me/);
    const [, webhookUrl] = await proc.waitFor(/Webhook URL:\s+(http:\/\/\S+)/);
    const base = appUrl.replace('localhost', '127.0.0.1');

    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    expect((await fetch(inboxUrl)).status).toBe(200);
    const sms = await fetch(`${base}/sms`, {
      method: 'POST',
      headers: { 'x-api-key': 'dev-key-change-me', 'content-type': 'application/json' },
      body: JSON.stringify({ to: '0812345678', message: 'Hello' }),
    });
    expect(sms.status).toBe(201);
    expect((await fetch(`${base}/credit`)).status).toBe(401);
    // The printed webhook URL carries this run's token: the README's curl examples work as printed.
    expect(webhookUrl).toMatch(new RegExp(`^${appUrl}/webhooks/thaibulksms/[A-Za-z0-9_-]{16,}$`));
    const report = await fetch(
      `${webhookUrl.replace('localhost', '127.0.0.1')}?message_id=rmWK3G&msisdn=66898765432&status=delivered`,
    );
    expect(report.status).toBe(200);
    expect(await report.json()).toEqual({ received: true });

    // Graceful shutdown: a request already in flight when SIGTERM arrives is still answered.
    const inFlight = holdRequest(
      `${base}/sms`,
      { 'x-api-key': 'dev-key-change-me' },
      { to: '0898765432', message: 'Sent during shutdown' },
    );
    await inFlight.started;
    proc.kill('SIGTERM');
    await proc.waitFor(/Shutting down: no new connections, finishing requests in flight/);
    inFlight.release();
    expect((await inFlight.response).status).toBe(201);
    const exit = await proc.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).toMatch(/Stopped/);
    // Closed: neither the app nor its sandbox answers any more.
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    await expect(fetch(inboxUrl)).rejects.toThrow();
    // Logs mask phone numbers.
    expect(proc.stdout()).toContain('081xxxx678');
    const logs = proc
      .stdout()
      .split('\n')
      .filter((l) => !l.includes('Try:'));
    expect(logs.join('\n')).not.toMatch(/0812345678|66812345678|0898765432|66898765432/);
  });

  it('outside sandbox mode refuses to start without APP_API_KEYS, with a clear message and no stack trace', async () => {
    proc = startMain({
      THAIBULKSMS_API_KEY: 'k',
      THAIBULKSMS_API_SECRET: 'very-secret-value',
      THAIBULKSMS_OTP_KEY: 'k',
      THAIBULKSMS_OTP_SECRET: 'another-secret-value',
    });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr()).toContain('The sample app cannot start.');
    expect(proc.stderr()).toContain('APP_API_KEYS is required outside sandbox mode');
    expect(proc.stderr()).not.toMatch(/\s+at \S+ \(/);
    expect(proc.stderr() + proc.stdout()).not.toMatch(/very-secret-value|another-secret-value/);
  });

  it('THAIBULKSMS_SANDBOX=false without credentials refuses to start', async () => {
    proc = startMain({ THAIBULKSMS_SANDBOX: 'false' });
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr()).toContain('THAIBULKSMS_API_KEY is required outside sandbox mode (THAIBULKSMS_SANDBOX=false)');
  });

  it('writes JSON logs with LOG_FORMAT=json — the sandbox banner too — with masked numbers and no secrets', async () => {
    const webhookToken = 'my-own-webhook-token-0123';
    proc = startMain({
      LOG_FORMAT: 'json',
      APP_API_KEYS: 'my-own-key-0123456789',
      THAIBULKSMS_SANDBOX: 'true',
      DELIVERY_WEBHOOK_TOKEN: webhookToken,
    });
    await proc.waitFor(/"swaggerUi"/);
    const entries = () =>
      proc!
        .stdout()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { level: string; context?: string; message: Record<string, unknown> });
    const banner = entries().find((e) => e.message?.swaggerUi !== undefined)!.message;
    expect(banner).toMatchObject({
      msg: expect.stringContaining('Sandbox mode'),
      swaggerUi: expect.stringMatching(/^http:\/\/\S+\/docs$/),
      sandboxInbox: expect.stringMatching(/^http:\/\/\S+\/$/),
      // A token from the environment is the operator's secret: never printed, only its place.
      deliveryWebhook: expect.stringMatching(/\/webhooks\/thaibulksms\/<DELIVERY_WEBHOOK_TOKEN>$/),
    });
    expect(banner.devApiKey).toBeUndefined();
    const base = String(banner.swaggerUi)
      .replace(/\/docs$/, '')
      .replace('localhost', '127.0.0.1');
    const res = await fetch(`${base}/otp/request`, {
      method: 'POST',
      headers: { 'x-api-key': 'my-own-key-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '0898765432' }),
    });
    expect(res.status).toBe(201);
    await proc.waitFor(/OTP requested/);
    // Every line of stdout is a JSON object: parsing them all (above) did not throw.
    expect(entries().length).toBeGreaterThan(5);
    expect(entries().find((e) => e.message?.msg === 'OTP requested')?.message).toMatchObject({ phone: '089xxxx432' });
    expect(proc.stdout()).not.toMatch(
      /0898765432|66898765432|my-own-key-0123456789|my-own-webhook-token-0123|sandbox-api-secret|sandbox-otp-secret/,
    );
    expect(proc.stdout()).not.toContain(webhookToken);
  });
});
