import { Test, TestingModule } from '@nestjs/testing';
import { OtpService } from '../otp/otp.service';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsSandbox, ThaiBulkSmsTestingModule } from './index';

describe('ThaiBulkSmsTestingModule', () => {
  let moduleRef: TestingModule;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({ sandbox: { senders: ['MyShop'] }, options: { defaultSender: 'MyShop' } }),
      ],
    }).compile();
    await moduleRef.init();
  });
  afterEach(() => moduleRef.close());

  it('wires the real services to an in-process sandbox, injectable by token or class', async () => {
    const sandbox = moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
    expect(moduleRef.get(ThaiBulkSmsSandbox)).toBe(sandbox);
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await moduleRef.get(SmsService).send({ to: '0812345678', message: 'Your order shipped' });
    expect(sandbox.lastMessage()).toMatchObject({
      phone: '66812345678',
      sender: 'MyShop',
      message: 'Your order shipped',
    });

    const otp = moduleRef.get(OtpService);
    const { token } = await otp.request('0812345678');
    await expect(otp.verify(token, sandbox.lastOtp()!.pin)).resolves.toMatchObject({ verified: true });
  });

  it('closes the sandbox with the module', async () => {
    const sandbox = moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
    await moduleRef.close();
    await expect(fetch(`${sandbox.url}/credit`)).rejects.toThrow();
    moduleRef = await Test.createTestingModule({ imports: [ThaiBulkSmsTestingModule.forRoot()] }).compile();
  });
});
