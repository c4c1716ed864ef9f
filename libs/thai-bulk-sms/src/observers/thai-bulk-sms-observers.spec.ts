import { Injectable, Logger, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DeliveryReportReceiver } from '../delivery/delivery-report.receiver';
import { OtpCodeInvalidError, ThaiBulkSmsError, ThaiBulkSmsUnconfirmedSendError } from '../errors';
import { startRawHttpServer } from '../transport/raw-http-server.test-util';
import { rejectionOf } from '../testing/spec-helpers.test-util';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import { OtpService } from '../otp/otp.service';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ObserverDispatcher } from './observer-dispatcher';
import {
  DeliveryReportObserved,
  OtpRequestObserved,
  OtpVerifyObserved,
  SmsRequestObserved,
  ThaiBulkSmsObserver,
} from './thai-bulk-sms.observer';

/** Records every event; its writes finish a macrotask later, as a database write would. */
@ThaiBulkSmsObserver()
@Injectable()
class RecordingObserver implements ThaiBulkSmsObserver {
  readonly sms: SmsRequestObserved[] = [];
  readonly otpRequests: OtpRequestObserved[] = [];
  readonly otpVerifies: OtpVerifyObserved[] = [];
  readonly reports: DeliveryReportObserved[] = [];
  throwNext = false;

  async onSmsRequest(event: SmsRequestObserved): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.throwNext) {
      this.throwNext = false;
      throw new Error('observer broke');
    }
    this.sms.push(event);
  }

  onOtpRequest(event: OtpRequestObserved): void {
    this.otpRequests.push(event);
  }

  onOtpVerify(event: OtpVerifyObserved): void {
    this.otpVerifies.push(event);
  }

  async onDeliveryReport(event: DeliveryReportObserved): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.reports.push(event);
  }

  clear(): void {
    this.sms.length = this.otpRequests.length = this.otpVerifies.length = this.reports.length = 0;
  }
}

/** Lives in a module of its own: observers are found app-wide, not only beside the services. */
@Module({ providers: [RecordingObserver], exports: [RecordingObserver] })
class ObserverHostModule {}

describe('observers (against the sandbox)', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let otp: OtpService;
  let sandbox: ThaiBulkSmsSandbox;
  let observer: RecordingObserver;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ObserverHostModule,
        ThaiBulkSmsTestingModule.forRoot({ options: { timeoutMs: 300, retry: { retries: 0 } } }),
      ],
    }).compile();
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
    otp = moduleRef.get(OtpService);
    sandbox = moduleRef.get(THAI_BULK_SMS_SANDBOX);
    observer = moduleRef.get(RecordingObserver);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => {
    sandbox.reset();
    observer.clear();
  });

  it('hears a send with its numbers, local rejects and answer before send resolves', async () => {
    const result = await sms.send({ to: ['0812345678', '123'], message: 'สวัสดี', sender: 'Demo', tags: ['a', 'b'] });
    // Written before `send` resolved: read-your-writes for whatever the observer stores.
    expect(observer.sms).toHaveLength(1);
    const [event] = observer.sms;
    expect(event).toMatchObject({
      registration: 'default',
      msisdns: ['66812345678'],
      localRejects: [{ phone: '123' }],
      send: { category: 'transactional', sender: 'Demo', message: 'สวัสดี', creditType: 'standard', tags: ['a', 'b'] },
      result: { accepted: result.accepted, creditsUsed: 1 },
    });
    expect(event.send.estimate).toMatchObject({ encoding: 'UCS-2', parts: 1 });
    expect(event.at).toBeInstanceOf(Date);
    expect(event.error).toBeUndefined();
  });

  it("passes the caller's reference to observers (never to the vendor) and refuses a bad one", async () => {
    await sms.sendBulk({ to: ['0812345678', '0812345679'], message: 'ref', reference: 'order-7' });
    expect(observer.sms.map((event) => event.send.reference)).toEqual(['order-7']);
    expect(sandbox.messages()).toHaveLength(2);
    for (const reference of ['', 'x'.repeat(201), 42]) {
      await expect(sms.send({ to: '0812345678', message: 'hi', reference: reference as string })).rejects.toMatchObject(
        {
          errorName: 'ERROR_FORM',
        },
      );
    }
    expect(sandbox.messages()).toHaveLength(2);
  });

  it('hears every chunk of a bulk send, once each', async () => {
    const numbers = Array.from({ length: 1_200 }, (_, i) => `08${String(10_000_000 + i)}`);
    const result = await sms.sendBulk({ to: numbers, message: 'hi' });
    expect(observer.sms).toHaveLength(3);
    expect(observer.sms.map((event) => event.msisdns.length).sort()).toEqual([200, 500, 500]);
    const acceptedIds = observer.sms.flatMap((event) => event.result!.accepted.map((a) => a.messageId));
    expect(new Set(acceptedIds).size).toBe(result.acceptedCount);
  });

  it('hears a request that may have gone out (timeout) and one refused by the vendor', async () => {
    sandbox.inject({ kind: 'hang' });
    await expect(sms.send({ to: '0812345678', message: 'hi' })).rejects.toBeInstanceOf(ThaiBulkSmsError);
    sandbox.failNext('ERROR_CREDIT_NOT_ENOUGH');
    await expect(sms.send({ to: '0812345679', message: 'hi' })).rejects.toBeInstanceOf(ThaiBulkSmsError);
    expect(observer.sms.map((event) => [event.error?.errorName, event.mayHaveTakenEffect])).toEqual([
      ['ERROR_UPSTREAM_TIMEOUT', true],
      ['ERROR_CREDIT_NOT_ENOUGH', false],
    ]);
    expect(observer.sms.every((event) => event.result === undefined)).toBe(true);
  });

  it('hears OTP requests and verifies, with the outcome', async () => {
    const { token } = await otp.request('0812345678');
    expect(observer.otpRequests).toMatchObject([{ category: 'otp', msisdn: '66812345678', result: { token } }]);
    const wrong = sandbox.lastOtp()!.pin === '000000' ? '111111' : '000000';
    await expect(otp.verify(token, wrong)).rejects.toBeInstanceOf(OtpCodeInvalidError);
    await otp.verify(token, sandbox.lastOtp()!.pin);
    expect(observer.otpVerifies.map((event) => [event.verified, event.error?.errorName])).toEqual([
      [false, expect.any(String)],
      [true, undefined],
    ]);
  });

  it('hears delivery reports through the receiver before it resolves', async () => {
    const report = await moduleRef.get(DeliveryReportReceiver).receive({ message_id: 'm-1', status: 'DELIVRD' });
    expect(report).toMatchObject({ messageId: 'm-1', status: 'delivered' });
    expect(observer.reports).toMatchObject([{ report: { messageId: 'm-1', status: 'delivered' } }]);
  });

  it('never fails a send because an observer failed', async () => {
    observer.throwNext = true;
    const dispatcher = moduleRef.get(ObserverDispatcher);
    const before = dispatcher.failures;
    const result = await sms.send({ to: '0812345678', message: 'hi' });
    expect(result.accepted).toHaveLength(1);
    expect(dispatcher.failures).toBe(before + 1);
  });
});

describe('ObserverDispatcher', () => {
  const logger = new Logger('spec');
  beforeEach(() => jest.spyOn(logger, 'warn').mockImplementation(() => undefined));

  it('costs nothing without observers: no promise, no event built', () => {
    const dispatcher = new ObserverDispatcher(undefined, logger);
    const build = jest.fn();
    expect(dispatcher.notify('onSmsRequest', build)).toBeUndefined();
    expect(build).not.toHaveBeenCalled();
  });

  it('answers after its timeout when an observer never does, and counts it', async () => {
    @ThaiBulkSmsObserver()
    class Hanging {
      onOtpRequest(): Promise<void> {
        return new Promise(() => undefined);
      }
    }
    const discovery = {
      getProviders: () => [{ instance: new Hanging(), metatype: Hanging, isDependencyTreeStatic: () => true }],
    };
    const dispatcher = new ObserverDispatcher(discovery as never, logger, 20);
    await dispatcher.notify('onOtpRequest', () => ({
      registration: 'default',
      category: 'otp',
      at: new Date(0),
      msisdn: '66812345678',
    }));
    expect(dispatcher.failures).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Hanging.onOtpRequest'));
  });

  it('never logs what an observer threw, only its kind', async () => {
    @ThaiBulkSmsObserver()
    class Leaky {
      onOtpVerify(): void {
        throw new Error('token abc123 pin 654321');
      }
    }
    const discovery = {
      getProviders: () => [{ instance: new Leaky(), metatype: Leaky, isDependencyTreeStatic: () => true }],
    };
    const dispatcher = new ObserverDispatcher(discovery as never, logger);
    await dispatcher.notify('onOtpVerify', () => ({
      registration: 'default',
      at: new Date(0),
      token: 't',
      verified: true,
    }));
    const logged = (logger.warn as jest.Mock).mock.calls.flat().join(' ');
    expect(logged).toContain('Leaky.onOtpVerify');
    expect(logged).not.toContain('654321');
  });

  it('answers without a promise when every observer returns nothing, having called them', () => {
    @ThaiBulkSmsObserver()
    class Counting {
      seen = 0;
      onOtpRequest(): void {
        this.seen++;
      }
    }
    const instance = new Counting();
    const discovery = {
      getProviders: () => [{ instance, metatype: Counting, isDependencyTreeStatic: () => true }],
    };
    const dispatcher = new ObserverDispatcher(discovery as never, logger);
    const event = () => ({ registration: 'default', category: 'otp' as const, at: new Date(0), msisdn: '66812345678' });
    expect(dispatcher.notify('onOtpRequest', event)).toBeUndefined();
    expect(instance.seen).toBe(1);
  });

  it('ignores providers that are not marked', () => {
    class Plain {
      onSmsRequest = jest.fn();
    }
    const discovery = {
      getProviders: () => [{ instance: new Plain(), metatype: Plain, isDependencyTreeStatic: () => true }],
    };
    expect(new ObserverDispatcher(discovery as never, logger).notify('onSmsRequest', jest.fn())).toBeUndefined();
  });
});

describe('observers hear a partly confirmed send', () => {
  it('with what the answer confirmed and the numbers it left unexplained', async () => {
    // Answers a two-number send with one of them only.
    const server = await startRawHttpServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res.writeHead(201, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            remaining_credit: 99,
            total_use_credit: 1,
            credit_type: 'standard',
            phone_number_list: [{ number: '66812345678', message_id: 'm-1', used_credit: 1 }],
            bad_phone_number_list: [],
          }),
        ),
      );
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObserverHostModule,
        ThaiBulkSmsModule.forRoot({ ...SANDBOX_DEFAULT_CREDENTIALS, baseUrl: server.url, maxTps: 0 }),
      ],
    }).compile();
    await moduleRef.init();
    try {
      const error = await rejectionOf(
        moduleRef.get(SmsService).send({ to: ['0812345678', '0898765432'], message: 'hi' }),
      );
      expect(error).toBeInstanceOf(ThaiBulkSmsUnconfirmedSendError);
      const [event] = moduleRef.get(RecordingObserver).sms;
      expect(event.result).toBeUndefined();
      expect(event.mayHaveTakenEffect).toBe(true);
      expect(event.partial).toEqual({
        accepted: [{ phone: '66812345678', messageId: 'm-1', credits: 1 }],
        rejected: [],
        creditsUsed: 1,
        unconfirmed: ['66898765432'],
      });
    } finally {
      await moduleRef.close();
      await server.close();
    }
  });
});

describe('an observer that states its own timeout', () => {
  it('is waited for that long, not the default', async () => {
    const logger = new Logger('spec');
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let finish!: () => void;
    @ThaiBulkSmsObserver()
    class Slow {
      readonly observerTimeoutMs = 1_000;
      onOtpRequest(): Promise<void> {
        return new Promise((resolve) => (finish = resolve));
      }
    }
    const discovery = {
      getProviders: () => [{ instance: new Slow(), metatype: Slow, isDependencyTreeStatic: () => true }],
    };
    // A default of 20 ms: the observer's own 1 s is what counts.
    const dispatcher = new ObserverDispatcher(discovery as never, logger, 20);
    const done = dispatcher.notify('onOtpRequest', () => ({
      registration: 'default',
      category: 'otp' as const,
      at: new Date(0),
      msisdn: '66812345678',
    }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    finish();
    await done;
    expect(dispatcher.failures).toBe(0);
  });
});
