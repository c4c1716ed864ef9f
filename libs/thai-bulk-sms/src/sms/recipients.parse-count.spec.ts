import { validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { MAX_RECIPIENTS_PER_REQUEST } from '../thai-bulk-sms.constants';
import { INVALID_PHONE_REASON, NOT_MOBILE_REASON } from '../phone';
import { partitionRecipients, provablyOverLimit, validateRecipients } from './recipients';
import { SendSmsDto } from './send-sms.dto';

// libphonenumber's parse, counted: the real function, wrapped. Jest hoists this above the imports.
jest.mock('libphonenumber-js/max', () => {
  const actual = jest.requireActual<typeof import('libphonenumber-js/max')>('libphonenumber-js/max');
  return { ...actual, parsePhoneNumberFromString: jest.fn(actual.parsePhoneNumberFromString) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the mocked module, to read its call count
const { parsePhoneNumberFromString: parses } = require('libphonenumber-js/max') as {
  parsePhoneNumberFromString: jest.Mock;
};

/** Numbers libphonenumber must parse to refuse: 10 digits, not a mobile prefix. */
const odd = (count: number) => Array.from({ length: count }, (_, i) => `01${String(10_000_000 + i)}`);
const valid = (count: number) => Array.from({ length: count }, (_, i) => `08${String(10_000_000 + i)}`);

/**
 * The cost of a send's recipients (issue 12, D9): each entry is parsed by libphonenumber at most
 * once per request, and the count of `to` stops as soon as it is proven too long.
 */
describe('parsing the recipients of a send', () => {
  beforeEach(() => parses.mockClear());

  it('parses each odd entry once, and says why it is refused', () => {
    const sorted = partitionRecipients(['0812345678', ...odd(1_000), '021234567', '081-234-5678']);
    expect(parses).toHaveBeenCalledTimes(1_001);
    expect(sorted.msisdns).toEqual(['66812345678']);
    expect(sorted.rejected).toHaveLength(1_001);
    expect(sorted.rejected[0]).toEqual({ phone: '0110000000', reason: INVALID_PHONE_REASON });
    expect(sorted.rejected[1_000]).toEqual({ phone: '021234567', reason: NOT_MOBILE_REASON });
  });

  it('parses no number in a common form, separators included', () => {
    const sorted = partitionRecipients(['0812345678', '+66 89 876 5432', '66-81-234-5679', ' 0612345678 ']);
    expect(sorted.msisdns).toEqual(['66812345678', '66898765432', '66812345679', '66612345678']);
    expect(parses).not.toHaveBeenCalled();
  });

  it('validateRecipients on 6,800 odd entries: one parse each, then ERROR_MSISDN', () => {
    const to = odd(6_800);
    expect(() => validateRecipients(to)).toThrow(expect.objectContaining({ errorName: 'ERROR_MSISDN' }));
    expect(parses).toHaveBeenCalledTimes(to.length);
  });

  it('stops at the first number past the limit', () => {
    const to = [...valid(MAX_RECIPIENTS_PER_REQUEST + 1), ...odd(2_000)];
    expect(() => validateRecipients(to)).toThrow(expect.objectContaining({ errorName: 'ERROR_MSISDN_EXCEEDED_LIMIT' }));
    expect(parses).not.toHaveBeenCalled();
  });

  it('provablyOverLimit needs no parse, and stops at limit + 1', () => {
    let read = 0;
    function* source() {
      for (const entry of [...odd(3_000), ...valid(MAX_RECIPIENTS_PER_REQUEST + 1), ...valid(1_000)]) {
        read++;
        yield entry;
      }
    }
    expect(provablyOverLimit(source(), MAX_RECIPIENTS_PER_REQUEST)).toBe(true);
    expect(read).toBe(3_000 + MAX_RECIPIENTS_PER_REQUEST + 1);
    expect(provablyOverLimit([...odd(3_000), ...valid(MAX_RECIPIENTS_PER_REQUEST)], MAX_RECIPIENTS_PER_REQUEST)).toBe(
      false,
    );
    expect(parses).not.toHaveBeenCalled();
  });

  it('SendSmsDto parses nothing: it refuses what common forms prove too long and leaves the rest to the service', async () => {
    const check = async (to: string[]) =>
      (await validate(plainToInstance(SendSmsDto, { to, message: 'hi' }))).flatMap((e) =>
        Object.keys(e.constraints ?? {}),
      );
    expect(await check(odd(6_800))).toEqual([]);
    expect(await check([...odd(6_000), ...valid(MAX_RECIPIENTS_PER_REQUEST + 1)])).toEqual(['maxRecipients']);
    expect(await check([...odd(6_000), ...valid(MAX_RECIPIENTS_PER_REQUEST)])).toEqual([]);
    expect(parses).not.toHaveBeenCalled();
  });
});
