import fc from 'fast-check';
import { VendorSmsResponse } from '../client/vendor-sms-response';
import * as phone from '../phone';
import { BulkSender } from './bulk-sender';

// Counts the calls into the phone module; the functions themselves run unchanged.
jest.mock('../phone', () => {
  const actual = jest.requireActual<typeof import('../phone')>('../phone');
  return { ...actual, toMsisdn: jest.fn(actual.toMsisdn), parseThaiMobile: jest.fn(actual.parseThaiMobile) };
});

/**
 * The vendor's answer to a chunk, made here: the sandbox checks numbers with the same phone
 * functions, so in this process it would add calls of its own to the count.
 */
function answer(msisdns: readonly string[]): Promise<VendorSmsResponse> {
  return Promise.resolve({
    remaining_credit: 1_000_000,
    total_use_credit: msisdns.length,
    credit_type: 'standard',
    phone_number_list: msisdns.map((number, i) => ({ number, message_id: `m${i}`, used_credit: 1 })),
    bad_phone_number_list: [],
  });
}

const validForms = fc
  .integer({ min: 10_000_000, max: 10_000_099 })
  .chain((n) =>
    fc.constantFrom(`08${n}`, `668${n}`, `+668${n}`, `08-${n}`, ` 08${n} `, `09${n}`, `(08) ${n}`, Number(`668${n}`)),
  );
const entry = fc.oneof(validForms, fc.string({ maxLength: 12 }), fc.constantFrom(null, undefined, {}, 12));

describe('BulkSender reads each recipient once', () => {
  const toMsisdn = phone.toMsisdn as jest.MockedFunction<typeof phone.toMsisdn>;
  const parseThaiMobile = phone.parseThaiMobile as jest.MockedFunction<typeof phone.parseThaiMobile>;

  it('parses every entry exactly once, whether it is sent, a duplicate or rejected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 1_200 }),
        fc.boolean(),
        fc.constantFrom<'chunk' | 'global'>('chunk', 'global'),
        async (entries, summaryOnly, dedupe) => {
          toMsisdn.mockClear();
          parseThaiMobile.mockClear();
          const sent: string[] = [];
          const result = await new BulkSender({
            recipients: entries,
            maxConcurrency: 2,
            dedupe,
            summaryOnly,
            sendChunk: (msisdns) => {
              sent.push(...msisdns);
              return answer(msisdns);
            },
          }).execute();
          expect(toMsisdn).toHaveBeenCalledTimes(entries.length);
          expect(parseThaiMobile).not.toHaveBeenCalled();
          // The counts agree with that one parse: valid entries sent (a duplicate once), the rest rejected.
          const valid = entries.map((e) => jest.requireActual<typeof phone>('../phone').toMsisdn(e));
          expect(result.acceptedCount + result.rejectedCount).toBe(
            sent.length + valid.filter((m) => m === undefined).length,
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});
