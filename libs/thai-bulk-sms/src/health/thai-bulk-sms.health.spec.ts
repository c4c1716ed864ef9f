import { Test, TestingModule } from '@nestjs/testing';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsHealthIndicator } from './thai-bulk-sms.health';

describe('ThaiBulkSmsHealthIndicator', () => {
  let moduleRef: TestingModule;
  let health: ThaiBulkSmsHealthIndicator;
  let sb: ThaiBulkSmsSandbox;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot({ options: { retry: { retries: 0 } } })],
    }).compile();
    await moduleRef.init();
    health = moduleRef.get(ThaiBulkSmsHealthIndicator);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => sb.reset());

  it('is up when the credit call answers', async () => {
    sb.setCredits({ standard: 500, corporate: 7 });
    expect(await health.isHealthy('sms')).toEqual({ sms: { status: 'up', standard: 500, corporate: 7 } });
  });

  it('is down below the minimum credit', async () => {
    sb.setCredits({ standard: 5 });
    expect((await health.isHealthy('sms', { minCredit: 10 })).sms.status).toBe('down');
    expect((await health.isHealthy('sms', { minCredit: 5 })).sms.status).toBe('up');
  });

  it('is down, with only an error name, when the API fails', async () => {
    sb.failNext('ERROR_AUTHENTICATION_FAILED', { path: '/credit' });
    expect(await health.isHealthy()).toEqual({
      thaibulksms: { status: 'down', reason: 'ERROR_AUTHENTICATION_FAILED' },
    });
  });
});
