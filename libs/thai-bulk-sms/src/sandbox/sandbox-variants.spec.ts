import { basicAuth, call, postJson } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/** The vendor's alternative answers (docs/vendor-api.md, "Credit" and "OTP"), so the client's other parsing paths can be tested. */
describe('sandbox answer variants', () => {
  const started: ThaiBulkSmsSandbox[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  async function start(options: Parameters<typeof ThaiBulkSmsSandbox.start>[0]) {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, ...options });
    started.push(sandbox);
    return sandbox;
  }

  async function verifyCorrect(sandbox: ThaiBulkSmsSandbox) {
    const app = { key: sandbox.credentials.otpKey, secret: sandbox.credentials.otpSecret };
    const { json } = await postJson(`${sandbox.url}/v2/otp/request`, { ...app, msisdn: '0812345678' });
    return postJson(`${sandbox.url}/v2/otp/verify`, { ...app, token: json.token, pin: sandbox.lastOtp()?.pin });
  }

  const getCredit = (sandbox: ThaiBulkSmsSandbox) =>
    call(`${sandbox.url}/credit`, {
      headers: { authorization: basicAuth(sandbox.credentials.apiKey, sandbox.credentials.apiSecret) },
    });

  it('answers a correct verify with status "success" by default and "verified" when asked', async () => {
    expect((await verifyCorrect(await start({}))).json).toEqual({ status: 'success', message: 'Code is correct.' });
    const verified = await verifyCorrect(await start({ otpVerifyStatus: 'verified' }));
    expect(verified.status).toBe(200);
    expect(verified.json).toEqual({ status: 'verified', message: 'Code is correct.' });
  });

  it('answers /credit with the pools object by default and the standard balance as a bare number when asked', async () => {
    const credits = { standard: 6093, corporate: 4498 };
    expect((await getCredit(await start({ credits }))).json).toEqual({ remaining_credit: credits });
    const sandbox = await start({ credits, creditShape: 'number' });
    const bare = await getCredit(sandbox);
    expect(bare.status).toBe(200);
    expect(bare.text).toBe('6093');
    sandbox.setCredits({ standard: 12 });
    expect((await getCredit(sandbox)).json).toBe(12);
  });

  it('still refuses /credit without valid Basic auth in the bare-number shape', async () => {
    const sandbox = await start({ creditShape: 'number' });
    expect((await call(`${sandbox.url}/credit`, { headers: { authorization: basicAuth('x', 'y') } })).status).toBe(401);
  });

  it.each([
    ['otpVerifyStatus', { otpVerifyStatus: 'ok' }],
    ['creditShape', { creditShape: 'bare' }],
  ])('refuses an unknown %s', async (name, options) => {
    await expect(ThaiBulkSmsSandbox.start({ port: 0, ...(options as object) })).rejects.toThrow(
      new RegExp(`Sandbox option ${name} must be one of`),
    );
  });
});
