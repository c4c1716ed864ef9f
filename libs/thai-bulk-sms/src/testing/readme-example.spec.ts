// The Testing example of the library README, kept here verbatim so it is compiled and run and
// cannot rot; readme-example-sync.spec.ts holds the two copies together. Only the package name
// differs: inside the workspace the library is `@app/thai-bulk-sms`.
import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { SmsService, ThaiBulkSmsAccountError } from '@app/thai-bulk-sms';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsSandbox, ThaiBulkSmsTestingModule } from '@app/thai-bulk-sms/testing';

// Your code under test, using the library as it does in production.
@Injectable()
class OrdersNotifier {
  constructor(private readonly sms: SmsService) {}

  shipped(phone: string) {
    return this.sms.send({ to: phone, message: 'Your order has shipped.' });
  }
}

describe('OrdersNotifier', () => {
  let moduleRef: TestingModule;
  let sandbox: ThaiBulkSmsSandbox;
  let notifier: OrdersNotifier;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({ sandbox: { senders: ['MyShop'] }, options: { defaultSender: 'MyShop' } }),
      ],
      providers: [OrdersNotifier],
    }).compile();
    await moduleRef.init();
    sandbox = moduleRef.get(THAI_BULK_SMS_SANDBOX); // or moduleRef.get(ThaiBulkSmsSandbox)
    notifier = moduleRef.get(OrdersNotifier);
  });
  afterEach(() => moduleRef.close()); // closes the sandbox too

  it('texts the customer', async () => {
    await notifier.shipped('081-234-5678');
    expect(sandbox.lastMessage()).toMatchObject({
      phone: '66812345678',
      sender: 'MyShop',
      message: 'Your order has shipped.',
    });
  });

  it('fails with a typed error when the credit runs out', async () => {
    sandbox.failNext('ERROR_INSUFFICIENT_CREDIT');
    const error = await notifier.shipped('0812345678').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThaiBulkSmsAccountError);
    expect(error).toMatchObject({ errorName: 'ERROR_INSUFFICIENT_CREDIT' });
    expect(sandbox.messages()).toHaveLength(0); // nothing was sent, nothing charged
  });

  it('copes with an outage', async () => {
    sandbox.failNext('ERROR_SYSTEM_FAILURE', { path: '/sms' });
    await expect(notifier.shipped('0812345678')).rejects.toMatchObject({ errorName: 'ERROR_SYSTEM_FAILURE' });
  });
});
