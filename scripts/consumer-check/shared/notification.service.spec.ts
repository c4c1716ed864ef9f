// A consumer's own Jest test, as the package README's "Testing" section writes it: the app's
// service with the real module wired to the in-process sandbox of `nestjs-thaibulksms/testing`.
// Copied into every fixture's src/; run.mjs runs it with Jest in the app's module system
// (ESM mode, --experimental-vm-modules, for the Nest 12 app; CommonJS for the Nest 11 app) and
// says which one in CONSUMER_JEST_MODULES.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { SmsService, ThaiBulkSmsError } from 'nestjs-thaibulksms';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsSandbox, ThaiBulkSmsTestingModule } from 'nestjs-thaibulksms/testing';
import { NotificationService } from './notification.service.js';

describe('NotificationService against ThaiBulkSmsTestingModule (the consumer’s Jest test)', () => {
  let moduleRef: TestingModule;
  let sandbox: ThaiBulkSmsSandbox;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot({ sandbox: { senders: ['MyShop'] }, options: { defaultSender: 'MyShop' } })],
      providers: [NotificationService],
    }).compile();
    await moduleRef.init();
    sandbox = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterEach(() => moduleRef.close()); // closes the sandbox too

  it('runs as the module system run.mjs asked for', () => {
    // ES modules have no `require`; Jest gives CommonJS test files one.
    const expected = process.env.CONSUMER_JEST_MODULES === 'esm' ? 'undefined' : 'function';
    expect(typeof require).toBe(expected);
  });

  it('texts the customer through the injected SmsService, and the sandbox received it', async () => {
    const result = await moduleRef.get(NotificationService).welcome('081-234-5678', 'Jest');
    expect(result.accepted).toHaveLength(1);
    expect(sandbox.lastMessage()).toMatchObject({
      messageId: result.accepted[0]?.messageId,
      phone: '66812345678',
      sender: 'MyShop',
      message: 'Welcome, Jest! สวัสดีครับ',
    });
    expect(moduleRef.get(ThaiBulkSmsSandbox)).toBe(sandbox);
    expect(moduleRef.get(SmsService)).toBeInstanceOf(SmsService);
  });

  it('requests an OTP and verifies it with the PIN the sandbox sent', async () => {
    const notifications = moduleRef.get(NotificationService);
    const otp = await notifications.requestOtp('0812345678');
    const issued = sandbox.lastOtp();
    expect(issued?.token).toBe(otp.token);
    await expect(notifications.verifyOtp(otp.token, issued?.pin ?? '')).resolves.toMatchObject({ verified: true });
  });

  it('surfaces an injected vendor failure as the package’s ThaiBulkSmsError', async () => {
    sandbox.failNext('ERROR_SYSTEM_FAILURE', { path: '/sms' });
    const failure = await moduleRef
      .get(NotificationService)
      .welcome('0812345678', 'Jest')
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ThaiBulkSmsError);
    expect(failure).toMatchObject({ errorName: 'ERROR_SYSTEM_FAILURE' });
  });
});
