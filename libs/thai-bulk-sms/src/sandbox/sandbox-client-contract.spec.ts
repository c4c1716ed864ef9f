import { Test, TestingModule } from '@nestjs/testing';
import { SystemClock, ThaiBulkSmsClock } from '../client/clock';
import { ThaiBulkSmsError } from '../errors';
import { SmsService } from '../sms/sms.service';
import { SendSmsOptions } from '../sms/sms.types';
import { ThaiBulkSmsTestingModule } from '../testing';
import { Fields, FakeClock, postSms } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/**
 * The client checks a send locally (sms/) and the sandbox checks it again on the wire (sandbox/):
 * two implementations of one set of vendor rules. Each row goes through both, and both must give
 * the same verdict, so neither can drift from the other without this spec failing.
 *
 * - client: SmsService.send, for real, against the sandbox. Its verdict is the error name it
 *   refused with locally, or `accepted` when the sandbox took what the client sent.
 * - sandbox: the row's input written on the wire as is (form-urlencoded, as the client sends),
 *   without the client's help.
 */

// Both sides read the same instant: 2025-01-15T10:00:00+07:00.
const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);

class PinnedClock extends SystemClock {
  override now(): number {
    return NOW;
  }
}

type Input = Partial<Record<keyof SendSmsOptions, unknown>>;

interface Row {
  readonly input: Input;
  /** What both sides must answer: `accepted` or the vendor's error name. */
  readonly expected: string;
  /**
   * Why the input cannot go on the wire as given (the client rewrites it, or the wire cannot hold
   * it), so only the client's verdict is compared; the sandbox still judges what the client sends.
   */
  readonly clientOnly?: string;
}

const numbers = (count: number) =>
  Array.from({ length: count }, (_, i) => `08${String(10_000_000 + i).padStart(8, '0')}`);
const THAI = 'ก';

const ROWS: Record<string, Row> = {
  'a valid send': { input: {}, expected: 'accepted' },
  'numbers in every accepted form': {
    input: { to: ['0812345678', '66898765432', '+66823456789', '081-234-5679'] },
    expected: 'accepted',
  },
  'some invalid numbers among valid ones': { input: { to: '0812345678,0123' }, expected: 'accepted' },
  'the same number twice': { input: { to: '0812345678,+66812345678' }, expected: 'accepted' },
  'only invalid numbers': { input: { to: '0123,abc' }, expected: 'ERROR_MSISDN' },
  'no number': { input: { to: [] }, expected: 'ERROR_MSISDN' },
  '500 numbers': { input: { to: numbers(500) }, expected: 'accepted' },
  '501 numbers': { input: { to: numbers(501) }, expected: 'ERROR_MSISDN_EXCEEDED_LIMIT' },

  'an empty message': { input: { message: '' }, expected: 'ERROR_MESSAGE' },
  'a whitespace-only message': { input: { message: ' \t\n ' }, expected: 'ERROR_MESSAGE' },
  'a GSM-7 message of 10 parts': { input: { message: 'a'.repeat(1530) }, expected: 'accepted' },
  'a GSM-7 message of 11 parts': { input: { message: 'a'.repeat(1531) }, expected: 'ERROR_MESSAGE_TOO_LONG' },
  'a Thai message of 10 parts': { input: { message: THAI.repeat(670) }, expected: 'accepted' },
  'a Thai message of 11 parts': { input: { message: THAI.repeat(671) }, expected: 'ERROR_MESSAGE_TOO_LONG' },

  'an approved sender of 11 characters': { input: { sender: 'ElevenChars' }, expected: 'accepted' },
  'a sender of 12 characters': { input: { sender: 'TwelveChars!' }, expected: 'ERROR_SENDER' },
  'an empty sender': { input: { sender: '' }, expected: 'ERROR_SENDER' },
  'a whitespace-only sender': { input: { sender: '   ' }, expected: 'ERROR_SENDER' },

  'force corporate': { input: { creditType: 'corporate' }, expected: 'accepted' },
  'an unknown force': { input: { creditType: 'premium' }, expected: 'ERROR_FORCE' },
  'an empty force': { input: { creditType: '' }, expected: 'ERROR_FORCE' },

  'a schedule 5 minutes ahead': { input: { scheduledAt: '2025-01-15T10:05:00+07:00' }, expected: 'accepted' },
  'a schedule just under a year ahead': { input: { scheduledAt: '2026-01-15T09:59:59+07:00' }, expected: 'accepted' },
  'a schedule one year ahead': {
    input: { scheduledAt: '2026-01-15T10:00:00+07:00' },
    expected: 'ERROR_SCHEDULED_DELIVERY_TOO_FAR',
  },
  'a schedule one second ago': {
    input: { scheduledAt: '2025-01-15T09:59:59+07:00' },
    expected: 'ERROR_SCHEDULED_DELIVERY',
  },
  'a schedule at this very second': {
    input: { scheduledAt: '2025-01-15T10:00:00+07:00' },
    expected: 'ERROR_SCHEDULED_DELIVERY',
  },
  'an unreadable schedule': { input: { scheduledAt: 'tomorrow' }, expected: 'ERROR_SCHEDULED_DELIVERY' },
  'an empty schedule': { input: { scheduledAt: '' }, expected: 'ERROR_SCHEDULED_DELIVERY' },
  'a schedule on a day that does not exist': {
    input: { scheduledAt: '2025-02-30T10:00:00+07:00' },
    expected: 'ERROR_SCHEDULED_DELIVERY',
  },
  'a schedule at hour 24': {
    input: { scheduledAt: '2025-01-15T24:00:00+07:00' },
    expected: 'ERROR_SCHEDULED_DELIVERY',
  },
  'a schedule in UTC': {
    input: { scheduledAt: '2025-01-15T03:05:00Z' },
    expected: 'accepted',
    clientOnly: 'the client converts any offset to +07:00',
  },

  'shortenUrl true': { input: { shortenUrl: true }, expected: 'accepted' },
  'shortenUrl false': { input: { shortenUrl: false }, expected: 'accepted' },
  'shortenUrl neither true nor false': { input: { shortenUrl: 'yes' }, expected: 'ERROR_FORM' },
  'an empty shortenUrl': { input: { shortenUrl: '' }, expected: 'ERROR_FORM' },

  'an http callback': { input: { callbackUrl: 'http://127.0.0.1:9/dr' }, expected: 'accepted' },
  'an ftp callback': { input: { callbackUrl: 'ftp://127.0.0.1/dr' }, expected: 'ERROR_CALLBACK_URL' },
  'a callback that is not a URL': { input: { callbackUrl: 'not a url' }, expected: 'ERROR_CALLBACK_URL' },
  'an empty callback': { input: { callbackUrl: '' }, expected: 'ERROR_CALLBACK_URL' },
  'callback method GET': {
    input: { callbackUrl: 'http://127.0.0.1:9/dr', callbackMethod: 'GET' },
    expected: 'accepted',
  },
  'callback method PUT': {
    input: { callbackUrl: 'http://127.0.0.1:9/dr', callbackMethod: 'PUT' },
    expected: 'accepted',
  },
  'callback method DELETE': {
    input: { callbackUrl: 'http://127.0.0.1:9/dr', callbackMethod: 'DELETE' },
    expected: 'ERROR_CALLBACK_METHOD',
  },
  'an empty callback method': {
    input: { callbackUrl: 'http://127.0.0.1:9/dr', callbackMethod: '' },
    expected: 'ERROR_CALLBACK_METHOD',
  },
  'a callback method without a callback': { input: { callbackMethod: 'POST' }, expected: 'ERROR_CALLBACK_URL' },
  'a wrong callback method without a callback': {
    input: { callbackMethod: 'DELETE' },
    expected: 'ERROR_CALLBACK_METHOD',
  },
  'a lower-case callback method': {
    input: { callbackUrl: 'http://127.0.0.1:9/dr', callbackMethod: 'get' },
    expected: 'accepted',
    clientOnly: 'the client upper-cases the method',
  },

  'two tags': { input: { tags: ['a', 'b'] }, expected: 'accepted' },
  'no tags': { input: { tags: [] }, expected: 'accepted' },
  'a padded tag': { input: { tags: ['  padded  '] }, expected: 'accepted' },
  'an empty tag': { input: { tags: [''] }, expected: 'ERROR_TAGS' },
  'a whitespace-only tag': { input: { tags: ['a', '  '] }, expected: 'ERROR_TAGS' },
  '10 tags': { input: { tags: numbers(10) }, expected: 'accepted' },
  '11 tags': { input: { tags: numbers(11) }, expected: 'ERROR_TAGS_EXCEEDED_LENGTH' },
  'a tag of 50 characters': { input: { tags: ['x'.repeat(50)] }, expected: 'accepted' },
  'a tag of 51 characters': { input: { tags: ['x'.repeat(51)] }, expected: 'ERROR_TAGS_EXCEEDED_LENGTH' },
  'a tag of 50 characters and padding': {
    input: { tags: [` ${'x'.repeat(50)} `] },
    expected: 'ERROR_TAGS_EXCEEDED_LENGTH',
  },
  'a tag holding a comma': {
    input: { tags: ['a,b'] },
    expected: 'ERROR_TAGS',
    clientOnly: 'tags travel comma-joined, so the wire cannot hold this tag',
  },
};

const BASE = { to: '0812345678', message: 'Hello', sender: 'SMS.' };

/** The row's input as the vendor's form fields, unchanged (the client's defaults filled in). */
function onTheWire(input: Input): Fields {
  const send = { ...BASE, creditType: 'standard', ...input };
  const list = (value: unknown) => (Array.isArray(value) ? value.join(',') : value);
  const fields: Record<string, unknown> = {
    msisdn: list(send.to),
    message: send.message,
    sender: send.sender,
    force: send.creditType,
    scheduled_delivery: send.scheduledAt,
    shorten_url: send.shortenUrl === undefined ? undefined : `${send.shortenUrl as boolean}`,
    callback_url: send.callbackUrl,
    callback_method: send.callbackMethod,
    // The client leaves `tag` out for an empty list.
    tag: Array.isArray(send.tags) && send.tags.length === 0 ? undefined : list(send.tags),
  };
  return fields as Fields;
}

describe('client and sandbox apply the same rules to a send', () => {
  let moduleRef: TestingModule;
  let sandbox: ThaiBulkSmsSandbox;
  let sms: SmsService;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({
          // A long delay: no delivery report goes out while the rows run; close() cancels them.
          sandbox: { clock: new FakeClock(NOW), senders: ['SMS.', 'ElevenChars'], deliveryDelayMs: 3_600_000 },
        }),
      ],
    })
      .overrideProvider(ThaiBulkSmsClock)
      .useValue(new PinnedClock())
      .compile();
    await moduleRef.init();
    sandbox = moduleRef.get(ThaiBulkSmsSandbox);
    sms = moduleRef.get(SmsService);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => sandbox.reset());

  async function clientVerdict(input: Input): Promise<string> {
    try {
      await sms.send({ ...BASE, ...input } as SendSmsOptions);
      return 'accepted';
    } catch (error) {
      if (!(error instanceof ThaiBulkSmsError)) throw error;
      return error.source === 'local' ? error.errorName : `sent, then refused by the sandbox with ${error.errorName}`;
    }
  }

  async function sandboxVerdict(input: Input): Promise<string> {
    const answer = await postSms(sandbox, onTheWire(input));
    return answer.status === 201 ? 'accepted' : String(answer.json?.error?.name ?? `HTTP ${answer.status}`);
  }

  it.each(Object.entries(ROWS))('%s', async (_name, row) => {
    const client = await clientVerdict(row.input);
    sandbox.reset();
    if (row.clientOnly) {
      expect({ client }).toEqual({ client: row.expected });
      return;
    }
    const wire = await sandboxVerdict(row.input);
    expect({ client, sandbox: wire }).toEqual({ client: row.expected, sandbox: row.expected });
  });

  it('the wire mapping is what the client really sends', async () => {
    const input = {
      to: ['0812345678', '0898765432'],
      creditType: 'corporate',
      scheduledAt: '2025-01-15T10:05:00+07:00',
      shortenUrl: true,
      callbackUrl: 'http://127.0.0.1:9/dr',
      callbackMethod: 'PUT',
      tags: ['a', 'b'],
    };
    await sms.send({ ...BASE, ...input } as SendSmsOptions);
    const [sent] = sandbox.requests();
    const expected = onTheWire(input);
    expect(sent.fields).toEqual({ ...expected, msisdn: '66812345678,66898765432' });
  });
});
