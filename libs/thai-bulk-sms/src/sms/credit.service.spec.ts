import { Test, TestingModule } from '@nestjs/testing';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { basicAuth, call } from '../sandbox/sandbox.test-util';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { CreditService } from './credit.service';

describe('CreditService (against the sandbox)', () => {
  async function setup(creditShape: 'pools' | 'number') {
    const ref = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({ sandbox: { creditShape, credits: { standard: 6093, corporate: 4498 } } }),
      ],
    }).compile();
    await ref.init();
    return { ref, credit: ref.get(CreditService), sandbox: ref.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX) };
  }

  let ref: TestingModule | undefined;
  afterEach(async () => {
    await ref?.close();
    ref = undefined;
  });

  const rawCredit = (sandbox: ThaiBulkSmsSandbox) =>
    call(`${sandbox.url}/credit`, {
      headers: { authorization: basicAuth(sandbox.credentials.apiKey, sandbox.credentials.apiSecret) },
    });

  it('reads both pools from the documented answer', async () => {
    const s = await setup('pools');
    ref = s.ref;
    expect(await s.credit.getCredit()).toEqual({ standard: 6093, corporate: 4498 });
  });

  it('reads a bare-number answer as the standard pool', async () => {
    const s = await setup('number');
    ref = s.ref;
    // The wire first, so this cannot pass on a sandbox that still answers the pools object.
    const raw = await rawCredit(s.sandbox);
    expect(raw.status).toBe(200);
    expect(raw.text).toBe('6093');
    expect(await s.credit.getCredit()).toEqual({ standard: 6093, corporate: 0 });
  });
});
