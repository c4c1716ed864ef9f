import { Test, TestingModule } from '@nestjs/testing';
import {
  ThaiBulkSmsAccountError,
  ThaiBulkSmsRequestError,
  ThaiBulkSmsUnconfirmedSendError,
  ThaiBulkSmsUpstreamError,
} from '../errors';
import { SmsService } from '../sms/sms.service';
import { everythingAbout, rejectionOf } from '../testing/spec-helpers.test-util';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import { ThaiBulkSmsTransport, TransportRequest, TransportResponse } from '../transport/thai-bulk-sms.transport';

const API_KEY = 'reconcile-key-4f9a2c';
const API_SECRET = 'reconcile-secret-8d1e7b';
const BASIC = Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64');

/** Answers every POST /sms with what the test scripted, from the numbers sent. */
class ScriptedTransport extends ThaiBulkSmsTransport {
  script: (msisdns: string[]) => TransportResponse = (msisdns) => json(201, accepting(msisdns));
  sends = 0;

  postForm(request: TransportRequest & { readonly form: Readonly<Record<string, string>> }) {
    this.sends++;
    return Promise.resolve(this.script(request.form.msisdn.split(',')));
  }
  getJson(): Promise<TransportResponse> {
    return Promise.resolve(json(200, { remaining_credit: { standard: 1, corporate: 0 } }));
  }
  postJson(): Promise<TransportResponse> {
    return Promise.resolve(json(200, { status: 'success', token: 't', refno: 'r' }));
  }
}

const json = (status: number, body: unknown): TransportResponse => ({ status, body, json: true });
const accepting = (numbers: readonly string[]) => ({
  remaining_credit: 100,
  total_use_credit: numbers.length,
  credit_type: 'standard',
  phone_number_list: numbers.map((number, i) => ({ number, message_id: `m${i}`, used_credit: 1 })),
  bad_phone_number_list: [],
});

const TWO = ['0812345678', '0898765432'];
const SENT = ['66812345678', '66898765432'];

/**
 * The answer to a send is reconciled with what was sent (issue 12, D2 and D11): a 2xx that does
 * not account for every number, or carries wrong types, is never a success.
 */
describe('reading the answer to a send', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let transport: ScriptedTransport;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsModule.forRoot({
          apiKey: API_KEY,
          apiSecret: API_SECRET,
          baseUrl: 'http://127.0.0.1:9',
          maxTps: 0,
          defaultCreditType: 'corporate',
          transport: ScriptedTransport,
        }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    sms = moduleRef.get(SmsService);
    transport = moduleRef.get<ThaiBulkSmsTransport, ScriptedTransport>(ThaiBulkSmsTransport);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => {
    transport.sends = 0;
    transport.script = (msisdns) => json(201, accepting(msisdns));
  });

  const unconfirmed = async (script: ScriptedTransport['script'], to: string | string[] = TWO) => {
    transport.script = script;
    const error = await rejectionOf(sms.send({ to, message: 'hi' }));
    expect(error).toBeInstanceOf(ThaiBulkSmsUnconfirmedSendError);
    expect(transport.sends).toBe(1);
    return error as ThaiBulkSmsUnconfirmedSendError;
  };

  it('passes a well-formed answer through, the pool charged defaulting to the one asked for', async () => {
    transport.script = (m) => json(201, { ...accepting(m), credit_type: undefined });
    await expect(sms.send({ to: TWO, message: 'hi' })).resolves.toEqual({
      accepted: [
        { phone: SENT[0], messageId: 'm0', credits: 1 },
        { phone: SENT[1], messageId: 'm1', credits: 1 },
      ],
      rejected: [],
      creditType: 'corporate',
      creditsUsed: 2,
      creditsRemaining: 100,
    });
  });

  it('takes the numbers in any order', async () => {
    transport.script = (m) => json(201, accepting([...m].reverse()));
    const result = await sms.send({ to: TWO, message: 'hi' });
    expect(result.accepted.map((a) => a.phone)).toEqual([...SENT].reverse());
  });

  it('matches numbers the vendor writes in another form, and reads its rejections', async () => {
    transport.script = () =>
      json(201, {
        ...accepting(['0812345678']),
        bad_phone_number_list: [{ number: '+66 89 876 5432', message: 'Blocked.' }],
      });
    const result = await sms.send({ to: TWO, message: 'hi' });
    expect(result.accepted).toEqual([{ phone: '0812345678', messageId: 'm0', credits: 1 }]);
    expect(result.rejected).toEqual([{ phone: '+66 89 876 5432', reason: 'Blocked.' }]);
  });

  it('201 {}: every number unconfirmed, "may have arrived", nothing confirmed', async () => {
    const error = await unconfirmed(() => json(201, {}));
    expect(error).toMatchObject({
      errorName: 'ERROR_UPSTREAM_BAD_RESPONSE',
      category: 'upstream',
      upstreamStatus: 201,
      requestMayHaveArrived: true,
      unconfirmed: SENT,
      accepted: [],
      rejected: [],
    });
    expect(error).toBeInstanceOf(ThaiBulkSmsUpstreamError);
    expect(error.message).toMatch(/2 numbers may have been sent/);
  });

  it('a 201 listing one of two numbers: the other is unconfirmed, the listed one confirmed', async () => {
    const error = await unconfirmed((m) => json(201, accepting(m.slice(0, 1))));
    expect(error).toMatchObject({
      unconfirmed: [SENT[1]],
      accepted: [{ phone: SENT[0], messageId: 'm0', credits: 1 }],
      creditsUsed: 1,
    });
    expect(error.message).toMatch(/without 1 of the 2 numbers sent.*one number may have been sent/);
    expect(error.toJSON()).toMatchObject({ errorName: 'ERROR_UPSTREAM_BAD_RESPONSE', unconfirmedCount: 1 });
  });

  it.each<[string, (m: string[]) => unknown]>([
    ['a body that is not an object', () => [1, 2]],
    ['an error envelope under a 2xx', () => ({ error: { name: 'ERROR_SYSTEM_FAILURE' } })],
    ['remaining_credit "abc"', (m) => ({ ...accepting(m), remaining_credit: 'abc' })],
    ['remaining_credit missing', (m) => ({ ...accepting(m), remaining_credit: undefined })],
    ['total_use_credit "2"', (m) => ({ ...accepting(m), total_use_credit: '2' })],
    ['credit_type 7', (m) => ({ ...accepting(m), credit_type: 7 })],
    ['phone_number_list an object', (m) => ({ ...accepting(m), phone_number_list: {} })],
    [
      'an accepted entry without number',
      (m) => ({ ...accepting(m), phone_number_list: [{ message_id: 'x', used_credit: 1 }] }),
    ],
    [
      'a number as a JSON number',
      (m) => ({ ...accepting(m), phone_number_list: [{ number: 66812345678, message_id: 'x', used_credit: 1 }] }),
    ],
    [
      'used_credit "1"',
      (m) => ({ ...accepting(m), phone_number_list: [{ number: m[0], message_id: 'x', used_credit: '1' }] }),
    ],
    [
      'used_credit -1',
      (m) => ({ ...accepting(m), phone_number_list: [{ number: m[0], message_id: 'x', used_credit: -1 }] }),
    ],
    [
      'message_id 5',
      (m) => ({ ...accepting(m), phone_number_list: [{ number: m[0], message_id: 5, used_credit: 1 }] }),
    ],
    [
      'a 10 KB message_id',
      (m) => ({
        ...accepting(m),
        phone_number_list: [{ number: m[0], message_id: 'i'.repeat(10_000), used_credit: 1 }],
      }),
    ],
    ['a number never sent, listed as accepted', (m) => accepting([...m, '66611111111'])],
    ['both numbers in one entry', (m) => accepting([m.join(',')])],
    ['an empty number and the others', (m) => accepting(['', ...m])],
    ['a number listed twice', (m) => accepting([...m, m[0]])],
    ['a number both accepted and rejected', (m) => ({ ...accepting(m), bad_phone_number_list: [{ number: m[0] }] })],
    ['a rejected entry that is not an object', (m) => ({ ...accepting(m.slice(1)), bad_phone_number_list: [m[0]] })],
  ])('%s: nothing confirmed, every number unconfirmed', async (_, body) => {
    const error = await unconfirmed((m) => json(201, body(m)));
    expect(error).toMatchObject({ unconfirmed: SENT, accepted: [], rejected: [], creditsUsed: 0 });
    expect(everythingAbout(error)).not.toContain('66611111111');
  });

  it('a 2xx that is not JSON: every number unconfirmed', async () => {
    const error = await unconfirmed(() => ({ status: 200, body: undefined, json: false }));
    expect(error).toMatchObject({ upstreamStatus: 200, unconfirmed: SENT });
  });

  it('keeps a rejection reason bounded, on one line, without the credentials', async () => {
    const reason = `no\n${API_KEY} ${API_SECRET} Basic ${BASIC} ${'r'.repeat(5_000)}`;
    transport.script = (m) =>
      json(201, { ...accepting(m.slice(1)), bad_phone_number_list: [{ number: m[0], message: reason }] });
    const { rejected } = await sms.send({ to: TWO, message: 'hi' });
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason.length).toBeLessThanOrEqual(300);
    expect(rejected[0].reason).toMatch(/^no \[redacted\] \[redacted\] Basic \[redacted\] r+$/);
  });

  it('sendBulk counts what a partial answer confirmed and reports the rest as a failed chunk, not resent', async () => {
    transport.script = (m) => json(201, accepting(m.slice(0, 1)));
    const result = await sms.sendBulk({ to: TWO, message: 'hi' });
    expect(result).toMatchObject({ acceptedCount: 1, rejectedCount: 0, chunks: 1, creditsUsed: 1 });
    expect(result.accepted).toEqual([{ phone: SENT[0], messageId: 'm0', credits: 1 }]);
    expect(result.failedChunks).toHaveLength(1);
    const [failed] = result.failedChunks;
    expect(failed).toMatchObject({ index: 0, recipients: [SENT[1]], errorName: 'ERROR_UPSTREAM_BAD_RESPONSE' });
    expect(failed.error).toBeInstanceOf(ThaiBulkSmsUnconfirmedSendError);
    expect(failed.sent).toBeUndefined();
    expect(transport.sends).toBe(1);
  });

  it('sendBulk: an answer that confirms nothing fails the whole chunk', async () => {
    transport.script = () => json(201, {});
    const result = await sms.sendBulk({ to: TWO, message: 'hi', summaryOnly: true });
    expect(result).toMatchObject({ acceptedCount: 0, chunks: 1 });
    expect(result.failedChunks.map((c) => c.recipients)).toEqual([SENT]);
  });

  describe('error envelopes (D10)', () => {
    const refusal = async (status: number, error: unknown) => {
      transport.script = () => json(status, { error });
      return rejectionOf(sms.send({ to: TWO, message: 'hi' }));
    };

    it.each([401, 429, 500])('a caller name under HTTP %i is the caller error the catalogue names', async (status) => {
      const error = await refusal(status, { code: 114, name: 'ERROR_MSISDN', description: 'MSISDN is invalid.' });
      expect(error).toBeInstanceOf(ThaiBulkSmsRequestError);
      expect(error).toMatchObject({ errorName: 'ERROR_MSISDN', upstreamStatus: status, vendorCode: 114 });
    });

    it.each([
      ['100 KB', 'E'.repeat(100_000)],
      ['__proto__', '__proto__'],
      ['lower case', 'error_msisdn'],
      ['with a newline', 'ERROR_MSISDN\nERROR [Bootstrap]'],
      ['a number', 114],
    ])('a name that is not one (%s) is not taken: the answer is classified by its status', async (_, name) => {
      const error = await refusal(400, { code: 1, name, description: 'x' });
      expect(error).toBeInstanceOf(ThaiBulkSmsUpstreamError);
      expect(error.errorName).toBe('ERROR_UPSTREAM_BAD_RESPONSE');
      const accountError = await refusal(401, { code: 1, name, description: 'x' });
      expect(accountError).toBeInstanceOf(ThaiBulkSmsAccountError);
      expect(accountError.errorName).toBe('ERROR_UPSTREAM_BAD_RESPONSE');
    });

    it('scrubs the credentials from a description, bounds it and keeps it on one line', async () => {
      const description = `echo ${API_KEY}:${API_SECRET}\r\nAuthorization: Basic ${BASIC} ${'d'.repeat(100_000)}`;
      for (const name of ['ERROR_MSISDN', 'ERROR_AUTHENTICATION_FAILED', 'ERROR_BRAND_NEW']) {
        const error = await refusal(400, { name, description });
        expect(error.description.length).toBeLessThanOrEqual(300);
        expect(error.description).toMatch(/^echo \[redacted\]:\[redacted\] {2}Authorization: Basic \[redacted\] d+$/);
        const text = everythingAbout(error);
        for (const secret of [API_KEY, API_SECRET, BASIC]) expect(text).not.toContain(secret);
      }
    });
  });
});
