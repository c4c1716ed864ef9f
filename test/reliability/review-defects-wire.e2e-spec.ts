import { INestApplication } from '@nestjs/common';
import { FakeUpstream, accepting } from '../support/fake-upstream';
import { Env } from '../../src/config/load-app-config';
import {
  CaptureLogger,
  createPlainApp,
  liveCredentials,
  RawClient,
  RawResponse,
  writeFragment,
} from './support/reliability';

// Counts libphonenumber's parses (D9): the real function, wrapped. Jest hoists this above the imports.
jest.mock('libphonenumber-js/max', () => {
  const actual = jest.requireActual<typeof import('libphonenumber-js/max')>('libphonenumber-js/max');
  return { ...actual, parsePhoneNumberFromString: jest.fn(actual.parsePhoneNumberFromString) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the mocked module, to read its call count
const { parsePhoneNumberFromString: parses } = require('libphonenumber-js/max') as {
  parsePhoneNumberFromString: jest.Mock;
};

/**
 * Issue 12, the defects of the wire to the vendor (D2, D9–D13): the sample app in live mode against
 * a fake upstream (test/support/fake-upstream.ts) that answers what the real API might and the
 * sandbox never does. Each test writes `defect-D<n>` for scripts/reliability-report.js.
 */

const MAY_HAVE_BEEN_SENT = /may have arrived and taken effect \(the SMS may have been sent\); do not retry blindly/;
const TWO = ['0812345678', '0898765432'];
const TWO_MSISDNS = ['66812345678', '66898765432'];

describe('Adversarial review, the wire (D2, D9–D13)', () => {
  let upstream: FakeUpstream;
  let app: INestApplication;
  let raw: RawClient;
  let live: Env;
  const logs = new CaptureLogger();

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    live = liveCredentials();
    const started = await createPlainApp(
      {
        ...live,
        THAIBULKSMS_BASE_URL: upstream.url,
        THAIBULKSMS_OTP_BASE_URL: upstream.url,
        THAIBULKSMS_MAX_TPS: '0',
        THAIBULKSMS_TIMEOUT_MS: '10000',
      },
      logs,
    );
    app = started.app;
    raw = new RawClient(started.url);
  });
  afterAll(async () => {
    raw?.close();
    await app?.close();
    await upstream?.close();
  });
  beforeEach(() => {
    upstream.reset();
    logs.lines.length = 0;
  });

  const headers = () => ({ 'content-type': 'application/json', 'x-api-key': live.APP_API_KEYS! });
  const post = (path: string, body: unknown): Promise<RawResponse> =>
    raw.request('POST', path, JSON.stringify(body), headers());
  const sendTwo = (path: '/sms' | '/alerts') => post(path, { to: TWO, message: 'review' });

  describe('D2: a 2xx that does not account for every number sent', () => {
    it('201 {}: /sms and /alerts answer ERROR_UPSTREAM_BAD_RESPONSE, "may have been sent"', async () => {
      upstream.answer('/sms', { status: 201, json: {} });
      for (const path of ['/sms', '/alerts'] as const) {
        const res = await sendTwo(path);
        expect({ path, status: res.status, body: res.json() }).toEqual({
          path,
          status: 502,
          body: {
            statusCode: 502,
            error: 'ERROR_UPSTREAM_BAD_RESPONSE',
            message: expect.stringMatching(MAY_HAVE_BEEN_SENT),
          },
        });
      }
      expect(upstream.count('/sms')).toBe(2);
    });

    it('a 201 listing one of two numbers: /sms says "may have been sent"; /alerts reports the other as a failed chunk', async () => {
      upstream.answer('/sms', (req) => ({ status: 201, json: accepting(req.msisdns.slice(0, 1)) }));
      const single = await sendTwo('/sms');
      expect(single.status).toBe(502);
      expect(single.json()).toEqual({
        statusCode: 502,
        error: 'ERROR_UPSTREAM_BAD_RESPONSE',
        message: expect.stringMatching(MAY_HAVE_BEEN_SENT),
      });

      const bulk = await sendTwo('/alerts');
      expect(bulk.status).toBe(201);
      const body = bulk.json();
      expect(body).toMatchObject({ acceptedCount: 1, chunks: 1 });
      expect(body.accepted.map((a: { phone: string }) => a.phone)).toEqual([TWO_MSISDNS[0]]);
      expect(body.failedChunks).toEqual([
        {
          index: 0,
          recipientCount: 1,
          recipients: [TWO_MSISDNS[1]],
          error: 'ERROR_UPSTREAM_BAD_RESPONSE',
          message: expect.stringMatching(/may have been sent/),
        },
      ]);
      // Nothing resent: the unconfirmed number may have gone out.
      expect(upstream.count('/sms')).toBe(2);
      writeFragment('defect-D2', {
        id: 'D2',
        proof:
          '201 {} and a 201 listing 1 of 2 numbers: /sms 502 ERROR_UPSTREAM_BAD_RESPONSE "may have been sent"; /alerts lists the unconfirmed number in failedChunks',
      });
    });
  });

  describe('D9: a list of invalid numbers is parsed once per entry, and no further than the limit needs', () => {
    const invalid = (n: number) => Array.from({ length: n }, (_, i) => `01${String(10_000_000 + i)}`);

    it('6,800 invalid numbers (~100 KB): one libphonenumber parse per entry, 400 ERROR_MSISDN, nothing sent', async () => {
      const to = invalid(6_800);
      parses.mockClear();
      const res = await post('/sms', { to, message: 'review' });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'ERROR_MSISDN' });
      expect(parses.mock.calls.length).toBeLessThanOrEqual(to.length);
      const perEntry = parses.mock.calls.length / to.length;

      // 501 distinct valid numbers after 6,000 invalid ones: refused without parsing the invalid ones.
      parses.mockClear();
      const over = [...invalid(6_000), ...Array.from({ length: 501 }, (_, i) => `08${String(10_000_000 + i)}`)];
      const tooMany = await post('/sms', { to: over, message: 'review' });
      expect(tooMany.status).toBe(400);
      expect(tooMany.json()).toMatchObject({ error: 'ERROR_MSISDN_EXCEEDED_LIMIT' });
      expect(parses.mock.calls.length).toBe(0);
      expect(upstream.count()).toBe(0);
      writeFragment('defect-D9', {
        id: 'D9',
        proof: `POST /sms with 6,800 invalid numbers: ${perEntry} libphonenumber parse(s) per entry (was 3); 6,000 invalid + 501 valid refused with 0 parses`,
      });
    });
  });

  describe('D10: the vendor status, name and description are not relayed unchecked', () => {
    it('a caller error name under 401/429 answers 400 by the catalogue; odd names are not echoed; credentials are scrubbed', async () => {
      for (const status of [401, 429]) {
        upstream.answer('/sms', {
          status,
          json: { error: { code: 114, name: 'ERROR_MSISDN', description: 'MSISDN is invalid.' } },
        });
        const res = await sendTwo('/sms');
        expect({ status, answer: res.status, error: res.json().error }).toEqual({
          status,
          answer: 400,
          error: 'ERROR_MSISDN',
        });
      }

      for (const name of ['E'.repeat(100_000), '__proto__', 'constructor']) {
        upstream.answer('/sms', { status: 400, json: { error: { code: 1, name, description: 'x' } } });
        const res = await sendTwo('/sms');
        expect(res.text.length).toBeLessThan(1_000);
        expect(res.json()).toEqual({
          statusCode: 502,
          error: 'ERROR_UPSTREAM_BAD_RESPONSE',
          message: expect.any(String),
        });
      }

      const echo = `key ${live.THAIBULKSMS_API_KEY} secret ${live.THAIBULKSMS_API_SECRET} ${'x'.repeat(50_000)}`;
      for (const [status, name, answer] of [
        [400, 'ERROR_MSISDN', 400],
        [401, 'ERROR_AUTHENTICATION_FAILED', 503],
      ] as const) {
        upstream.answer('/sms', { status, json: { error: { code: 1, name, description: echo } } });
        const res = await sendTwo('/sms');
        expect(res.status).toBe(answer);
        expect(res.text.length).toBeLessThan(1_000);
        expect(res.text).not.toContain(live.THAIBULKSMS_API_KEY);
        expect(res.text).not.toContain(live.THAIBULKSMS_API_SECRET);
      }
      const logged = logs.lines.join('\n');
      expect(logged).toContain('ERROR_AUTHENTICATION_FAILED');
      expect(logged).not.toContain(live.THAIBULKSMS_API_KEY);
      expect(logged).not.toContain(live.THAIBULKSMS_API_SECRET);
      expect(logged).not.toContain('x'.repeat(1_000));
      writeFragment('defect-D10', {
        id: 'D10',
        proof:
          'ERROR_MSISDN under upstream 401/429 answers 400; 100 KB, __proto__ and constructor names answer ERROR_UPSTREAM_BAD_RESPONSE; an echoed key/secret is in no answer or log line',
      });
    });
  });

  describe('D11: wrong types in a 201 are not coerced, and numbers never sent are not accepted', () => {
    const cases: [string, (msisdns: readonly string[]) => unknown][] = [
      ['remaining_credit "abc"', (m) => ({ ...accepting(m), remaining_credit: 'abc' })],
      [
        'an accepted entry without number',
        (m) => ({ ...accepting(m), phone_number_list: [{ message_id: 'a1', used_credit: 1 }] }),
      ],
      [
        'used_credit "1"',
        (m) => ({ ...accepting(m), phone_number_list: [{ number: m[0], message_id: 'a1', used_credit: '1' }] }),
      ],
      ['a number never sent, listed as accepted', (m) => accepting([...m, '66611111111'])],
    ];
    const passed: string[] = [];
    afterAll(() => {
      if (passed.length !== cases.length) return;
      writeFragment('defect-D11', {
        id: 'D11',
        proof: `${passed.join('; ')}: each 502 ERROR_UPSTREAM_BAD_RESPONSE "may have been sent", nothing coerced or listed`,
      });
    });

    it.each(cases)('%s: 502 ERROR_UPSTREAM_BAD_RESPONSE, "may have been sent"', async (name, body) => {
      upstream.answer('/sms', (req) => ({ status: 201, json: body(req.msisdns) }));
      const res = await post('/sms', { to: TWO[0], message: 'review' });
      expect(res.status).toBe(502);
      expect(res.json()).toEqual({
        statusCode: 502,
        error: 'ERROR_UPSTREAM_BAD_RESPONSE',
        message: expect.stringMatching(MAY_HAVE_BEEN_SENT),
      });
      expect(res.text).not.toContain('undefined');
      expect(res.text).not.toContain('66611111111');
      passed.push(name);
    });
  });

  describe('D12: an upstream body is read no further than a bounded size', () => {
    it('a 48 MB answer stops near the cap: ERROR_UPSTREAM_RESPONSE_TOO_LARGE, "may have been sent" for a send', async () => {
      const huge = 48 * 1024 * 1024;
      upstream.answer('/sms', { status: 201, streamBytes: huge });
      const res = await post('/sms', { to: TWO[0], message: 'review' });
      expect(res.json()).toEqual({
        statusCode: 502,
        error: 'ERROR_UPSTREAM_RESPONSE_TOO_LARGE',
        message: expect.stringMatching(MAY_HAVE_BEEN_SENT),
      });
      // Written as fast as the app read it: the app stopped near the 1 MiB cap (plus socket buffers).
      const streamed = upstream.streamedBytes;
      expect(streamed).toBeLessThan(huge / 3);

      upstream.answer('/credit', { status: 200, streamBytes: huge });
      const credit = await raw.request('GET', '/credit', undefined, headers());
      expect(credit.status).toBe(502);
      expect(credit.json().error).toBe('ERROR_UPSTREAM_RESPONSE_TOO_LARGE');

      // And the next send is fine.
      upstream.reset();
      expect((await post('/sms', { to: TWO[0], message: 'after' })).status).toBe(201);
      writeFragment('defect-D12', {
        id: 'D12',
        proof: `a 48 MB /sms answer: 502 ERROR_UPSTREAM_RESPONSE_TOO_LARGE "may have been sent" after ${Math.round(streamed / 1024)} KiB streamed; /credit the same; the next send is fine`,
      });
    });
  });

  describe('D13: synchronous /alerts with no valid number', () => {
    it('answers 400 ERROR_MSISDN, like /sms, and sends nothing', async () => {
      for (const path of ['/sms', '/alerts'] as const) {
        const res = await post(path, { to: ['0123', 'abc', '021234567'], message: 'review' });
        expect({ path, status: res.status, body: res.json() }).toEqual({
          path,
          status: 400,
          body: { statusCode: 400, error: 'ERROR_MSISDN', message: expect.any(String) },
        });
      }
      expect(upstream.count()).toBe(0);
      writeFragment('defect-D13', {
        id: 'D13',
        proof: 'synchronous POST /alerts with only invalid numbers: 400 ERROR_MSISDN as /sms, no request upstream',
      });
    });
  });
});
