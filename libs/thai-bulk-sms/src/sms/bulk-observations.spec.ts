import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { SmsRequestObserved, ThaiBulkSmsObserver } from '../observers/thai-bulk-sms.observer';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { SmsService } from './sms.service';

/** Holds every call until released, as a slow database write would; tells when its n-th call came. */
@ThaiBulkSmsObserver()
@Injectable()
class GatedObserver implements ThaiBulkSmsObserver {
  readonly heard: SmsRequestObserved[] = [];
  readonly finished: SmsRequestObserved[] = [];
  private readonly held: (() => void)[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  open = false;

  onSmsRequest(event: SmsRequestObserved): Promise<void> {
    this.heard.push(event);
    for (const waiter of this.waiters.filter((w) => w.count <= this.heard.length)) waiter.resolve();
    const done = () => void this.finished.push(event);
    if (this.open) return Promise.resolve().then(done);
    return new Promise<void>((resolve) => this.held.push(resolve)).then(done);
  }

  /** Resolves once `count` calls have come in. */
  calls(count: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.heard.length >= count) resolve();
      else this.waiters.push({ count, resolve });
    });
  }

  release(): void {
    this.open = true;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

@Module({ providers: [GatedObserver], exports: [GatedObserver] })
class GatedObserverModule {}

const numbers = (count: number) => Array.from({ length: count }, (_, i) => `08${String(20_000_000 + i)}`);

/** Lets every callback already due run (macrotask turns, not a timer): the sender moves on if it can. */
async function settleTurns(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('sendBulk: chunk observers run beside the next requests, bounded, and finish before it resolves', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let sandbox: ThaiBulkSmsSandbox;
  let observer: GatedObserver;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [GatedObserverModule, ThaiBulkSmsTestingModule.forRoot({ options: { maxConcurrency: 1 } })],
    }).compile();
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
    sandbox = moduleRef.get(THAI_BULK_SMS_SANDBOX);
    observer = moduleRef.get(GatedObserver);
  });
  afterAll(() => moduleRef.close());

  it('frees the slot while a chunk is observed, holds at maxConcurrency pending, resolves after every observer', async () => {
    let resolved = false;
    const sending = sms.sendBulk({ to: numbers(1_500), message: 'bulk', summaryOnly: true }).then((result) => {
      resolved = true;
      return result;
    });
    // One slot: the second request goes out while the first chunk's observer still works.
    await observer.calls(2);
    await settleTurns();
    // The second chunk waits for room (one observer call pending at most), holding the only slot.
    expect(sandbox.messages()).toHaveLength(1_000);
    expect(observer.finished).toHaveLength(0);
    expect(resolved).toBe(false);

    observer.release();
    const result = await sending;
    expect(result.acceptedCount).toBe(1_500);
    // Every chunk's observer had finished when sendBulk resolved: read your writes.
    expect(observer.finished.map((event) => event.msisdns.length).sort()).toEqual([500, 500, 500]);
  });
});
