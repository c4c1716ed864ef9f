import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { registerSecret, requireE2eHooks } from '../support/e2e-capture';
import { CaptureFile, scan, UNMASKED_PHONE } from '../support/secret-scan';
import { createTestApp, TestApp } from '../support/test-app';
import { CaptureLogger, printTable, RawClient, RawResponse, writeFragment } from './support/reliability';

/**
 * Issue 6.3, in two parts.
 *
 * The whole e2e suite: every app createTestApp builds runs with distinctive credentials and has
 * every log line, console/stdout/stderr write and HTTP answer recorded; once every spec has run,
 * test/support/e2e-global-teardown.ts scans all of it (test/support/secret-scan.ts) and fails the
 * run on any secret or unmasked phone. This spec proves that search can fail: it plants canaries
 * (a secret logged through the app's logger, another written raw to stdout) that the scan must
 * report, and checks the search itself on planted input.
 *
 * This spec: every route exercised on purpose (successes, caller errors, upstream faults, account
 * errors), its own capture searched with the same scanner right here.
 */

const rand = () => randomBytes(9).toString('base64url');
const SECRETS = {
  apiKey: `K3Y-api-${rand()}`,
  apiSecret: `S3CR3T-api-${rand()}`,
  otpKey: `K3Y-otp-${rand()}`,
  otpSecret: `S3CR3T-otp-${rand()}`,
  appKey: `APPK3Y-${rand()}`,
  webhookToken: `H00K-${rand()}`,
};

/** This spec file's capture so far, as the scanner reads a capture file. */
const ownCapture = (): CaptureFile => ({ spec: 'secret-hygiene', entries: requireE2eHooks().entries() });

describe('Secret hygiene over every route, including errors and faults', () => {
  let t: TestApp;
  let client: RawClient;
  const logs = new CaptureLogger();
  const responses: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      listen: true,
      logger: logs,
      env: {
        THAIBULKSMS_SANDBOX: 'true',
        THAIBULKSMS_API_KEY: SECRETS.apiKey,
        THAIBULKSMS_API_SECRET: SECRETS.apiSecret,
        THAIBULKSMS_OTP_KEY: SECRETS.otpKey,
        THAIBULKSMS_OTP_SECRET: SECRETS.otpSecret,
        APP_API_KEYS: SECRETS.appKey,
        DELIVERY_WEBHOOK_TOKEN: SECRETS.webhookToken,
        THAIBULKSMS_TIMEOUT_MS: '200',
        THAIBULKSMS_MAX_TPS: '0',
        // Every /health asks the vendor anew, so the failing check below is really made (and logged).
        HEALTH_CACHE_SECONDS: '0',
      },
    });
    client = new RawClient(t.url!);
  });
  afterAll(async () => {
    client.close();
    await t.close();
  });

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> => {
    const res = await client.request(method, path, body === undefined ? undefined : JSON.stringify(body), {
      'x-api-key': SECRETS.appKey,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    });
    // What the app answered (status, headers, body); the request line is ours, so it is left out.
    responses.push(`${res.status} ${JSON.stringify(res.headers)} ${res.text}`);
    return res;
  };

  it('never shows a secret in a log line, a response body or a header; phones in logs are masked', async () => {
    const sb = t.sandbox;
    // Successes on every route.
    expect((await call('POST', '/sms', { to: '0812345678', message: 'hello' })).status).toBe(201);
    expect(
      (await call('POST', '/sms', { to: ['0812345678', '0898765432', '0123'], message: 'list', tags: ['t'] })).status,
    ).toBe(201);
    expect((await call('POST', '/alerts', { to: ['0812345670', '0812345671', 'bad'], message: 'alert' })).status).toBe(
      201,
    );
    const otp = await call('POST', '/otp/request', { phone: '0812345679' });
    expect(otp.status).toBe(201);
    const { token } = otp.json();
    expect(
      (await call('POST', '/otp/verify', { token, pin: sb.lastOtp()!.pin === '000000' ? '111111' : '000000' })).status,
    ).toBe(400);
    expect((await call('POST', '/otp/verify', { token, pin: sb.lastOtp()!.pin })).status).toBe(200);
    expect((await call('GET', '/credit')).status).toBe(200);
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await call('GET', '/docs/json')).status).toBe(200);
    // Delivery reports: the sandbox calls the app's webhook (the token is in that URL).
    await sb.flushDeliveryReports();
    expect(sb.deliveryReports().length).toBeGreaterThan(0);
    expect(
      (
        await call(
          'GET',
          `/webhooks/thaibulksms/${SECRETS.webhookToken}?message_id=x&msisdn=66812345678&status=delivered`,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `/webhooks/thaibulksms/${SECRETS.webhookToken}`, {
          message_id: 'y',
          msisdn: '0812345678',
          status: 'failed',
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('POST', '/webhooks/thaibulksms/not-the-token-0123456789', { msisdn: '0812345678' })).status,
    ).toBe(404);

    // Caller mistakes.
    expect((await call('POST', '/sms', { to: '0812345678', message: 'x' }, { 'x-api-key': 'wrong-key' })).status).toBe(
      401,
    );
    expect((await call('POST', '/sms', { to: '0812345678', message: 'x' }, { 'x-api-key': '' })).status).toBe(401);
    expect((await call('POST', '/sms', { to: 'abc', message: 'x' })).status).toBe(400);
    expect((await call('POST', '/sms', { to: '0812345678' })).status).toBe(400);
    expect((await call('POST', '/otp/request', { phone: '021234567' })).status).toBe(400);
    expect((await call('POST', '/otp/verify', { token: 'never-issued', pin: '123456' })).status).toBe(400);

    // Upstream faults and account errors, on SMS, credit and OTP.
    const faults: [Parameters<typeof sb.inject>[0], string, string, unknown][] = [
      [
        { kind: 'vendor-error', name: 'ERROR_AUTHENTICATION_FAILED' },
        '/sms',
        '/sms',
        { to: '0812345678', message: 'x' },
      ],
      [{ kind: 'vendor-error', name: 'ERROR_API_KEY_SUSPENDED' }, '/sms', '/sms', { to: '0812345678', message: 'x' }],
      [
        { kind: 'vendor-error', name: 'ERROR_INSUFFICIENT_CREDIT' },
        '/sms',
        '/alerts',
        { to: ['0812345678'], message: 'x' },
      ],
      [{ kind: 'vendor-error', name: 'ERROR_SYSTEM_FAILURE' }, '/sms', '/sms', { to: '0812345678', message: 'x' }],
      [{ kind: 'hang' }, '/sms', '/sms', { to: '0812345678', message: 'x' }],
      [{ kind: 'drop' }, '/sms', '/sms', { to: '0812345678', message: 'x' }],
      [{ kind: 'html-502' }, '/sms', '/sms', { to: '0812345678', message: 'x' }],
      [{ kind: 'malformed-json' }, '/sms', '/sms', { to: '0812345678', message: 'x' }],
      [{ kind: 'vendor-error', name: 'ERROR_AUTHENTICATION_FAILED' }, '/credit', '/credit', undefined],
      [
        { kind: 'otp-error', message: 'Application not found.' },
        '/v2/otp/request',
        '/otp/request',
        { phone: '0898765431' },
      ],
      [{ kind: 'drop' }, '/v2/otp/request', '/otp/request', { phone: '0898765432' }],
    ];
    for (const [fault, path, route, body] of faults) {
      sb.inject(fault, { path: path as never, times: 3 });
      const res = await call(body === undefined ? 'GET' : 'POST', route, body);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.json().error).toEqual(expect.any(String));
      sb.clearFaults();
    }
    // Health while the vendor refuses our credentials.
    sb.inject({ kind: 'vendor-error', name: 'ERROR_AUTHENTICATION_FAILED' }, { path: '/credit', times: 5 });
    expect((await call('GET', '/health')).status).toBe(503);
    sb.clearFaults();

    // The search: the suite-wide scanner over this spec's capture (every app log line, raw
    // stdout/stderr write and answer so far), and the figures of the spec's own logger.
    const result = scan([ownCapture()]);
    const leaks = result.leaks.filter((f) => !f.canary).map((f) => `${f.what} in a ${f.where} x${f.count}`);
    const unmasked = result.unmaskedPhones.filter((f) => !f.canary).map((f) => f.what);
    // The logger passed to createTestApp saw the same lines: searched too, for the masked-phone figure.
    const unmaskedInSpecLogger = logs.lines.flatMap((l) => l.match(UNMASKED_PHONE) ?? []);
    const maskedSeen = logs.lines.filter((l) => /\d{3}x{4}\d{3}/.test(l)).length;
    // Every secret of this app was registered for the search (from its configuration).
    const registered = requireE2eHooks()
      .entries()
      .filter((e) => e.k === 'secret')
      .map((e) => (e as { value: string }).value);
    for (const value of Object.values(SECRETS)) expect(registered).toContain(value);
    expect(registered).toContain(Buffer.from(`${SECRETS.apiKey}:${SECRETS.apiSecret}`).toString('base64'));

    printTable(
      `Secret hygiene (this spec): ${result.logLines} log lines, ${result.responses} responses searched for ${result.secretsSearched} secrets`,
      [
        ['leaks found', leaks.length, leaks.join('; ') || '-'],
        [
          'unmasked phone numbers in logs',
          unmasked.length + unmaskedInSpecLogger.length,
          [...new Set([...unmasked, ...unmaskedInSpecLogger])].join(', ') || '-',
        ],
        ['log lines with a masked phone', maskedSeen, ''],
      ],
      ['check', 'count', 'detail'],
    );
    writeFragment('secret-hygiene', {
      logLines: result.logLines,
      responses: result.responses,
      secretsSearched: result.secretsSearched,
      leaksFound: leaks.length,
      leaks,
      unmaskedPhones: unmasked.length + unmaskedInSpecLogger.length,
      maskedPhoneLines: maskedSeen,
    });
    expect(result.logLines).toBeGreaterThan(20);
    expect(result.responses).toBeGreaterThanOrEqual(responses.length);
    expect(maskedSeen).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
    expect(unmasked).toEqual([]);
    expect(unmaskedInSpecLogger).toEqual([]);
  }, 60_000);
});

describe('Secret scan canaries: the search reports what it must', () => {
  it('finds a planted secret, its base64 form and the Basic header, and unmasked phones in logs only', () => {
    const secret = `planted-${rand()}`;
    const basic = Buffer.from(`key-${rand()}:${secret}`).toString('base64');
    const file: CaptureFile = {
      spec: 'planted',
      entries: [
        { k: 'secret', name: 'planted secret', value: secret },
        { k: 'secret', name: 'planted Basic header', value: basic },
        {
          k: 'log',
          level: 'error',
          text: `request failed ${JSON.stringify({ config: { auth: { password: secret } } })}`,
        },
        { k: 'stderr', text: `Authorization: Basic ${basic}\n` },
        {
          k: 'response',
          method: 'GET',
          url: '/x',
          status: 500,
          headers: { 'x-debug': Buffer.from(secret).toString('base64') },
          body: '{}',
        },
        { k: 'log', level: 'warn', text: 'odd report for 0898765432 and +66 81-234-5678' },
        { k: 'console', level: 'log', source: 'src/x.ts', text: 'sent to 66812345678' },
        { k: 'log', level: 'debug', text: 'POST /sms [081xxxx678] -> 201 in 0.812345678 s' },
        {
          k: 'response',
          method: 'POST',
          url: '/sms',
          status: 201,
          headers: {},
          body: '{"accepted":[{"phone":"66812345678"}]}',
        },
      ],
    };
    const r = scan([file]);
    expect(r.leaks.map((f) => `${f.what}|${f.where}|${f.count}`).sort()).toEqual(
      ['planted Basic header|log|1', 'planted secret (base64)|response|1', 'planted secret|log|1'].sort(),
    );
    // Phones: found in log lines, console and stdout writes; never in answers (they carry the
    // caller's own numbers); masked ones and decimals are no phone.
    expect(r.unmaskedPhones.map((f) => f.what).sort()).toEqual(['0898765432, +66 81-234-5678', '66812345678']);
    expect(r.canariesMissed).toEqual([]);
  });

  it('plants secrets in the real capture (through the app logger and raw stdout) that the suite-wide scan must report as canaries', async () => {
    const hooks = requireE2eHooks();
    const viaLogger = `canary-logger-${rand()}`;
    const viaStdout = `canary-stdout-${rand()}`;
    registerSecret('canary (app logger)', viaLogger, { canary: true });
    registerSecret('canary (raw stdout)', viaStdout, { canary: true });
    const t = await createTestApp();
    try {
      // Through the app's own Nest logger, exactly as a careless log call in the app would.
      new Logger('SecretScanCanary').warn(`[planted on purpose] ${viaLogger} for 0898765439`);
      process.stdout.write(`[secret-scan canary, planted on purpose] ${viaStdout}\n`);
    } finally {
      await t.close();
    }
    const r = scan([ownCapture()]);
    const canaries = r.leaks.filter((f) => f.canary).map((f) => `${f.what}|${f.where}`);
    expect(canaries).toEqual(expect.arrayContaining(['canary (app logger)|log', 'canary (raw stdout)|log']));
    expect(r.unmaskedPhones.filter((f) => f.canary).map((f) => f.what)).toEqual(['0898765439']);
    expect(r.canariesMissed).toEqual([]);
    // The file the teardown scans is written from the same entries at the end of this spec.
    expect(hooks.entries().filter((e) => e.k === 'secret' && e.canary)).toHaveLength(2);
  });
});
