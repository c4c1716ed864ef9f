import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isThaiMobile, maskPhone, parseThaiMobile, toMsisdn } from './thai-phone';

/** What libphonenumber-js alone says, without our fast path. */
function reference(raw: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw, 'TH');
  if (!parsed || !parsed.isValid() || parsed.country !== 'TH' || parsed.getType() !== 'MOBILE') return undefined;
  return parsed.number.slice(1);
}

describe('parseThaiMobile', () => {
  it.each([
    '0812345678',
    '66812345678',
    '+66812345678',
    '081-234-5678',
    '081 234 5678',
    '+66 81 234 5678',
    ' 0812345678 ',
  ])('normalises %s to 66812345678', (input) =>
    expect(parseThaiMobile(input)).toEqual({ valid: true, msisdn: '66812345678' }),
  );

  it.each(['', '0123', 'abc', '021234567', '+14155552671', '08123456789012345678901', '0812345678x'])(
    'refuses %p',
    (input) => {
      expect(parseThaiMobile(input).valid).toBe(false);
      expect(toMsisdn(input)).toBeUndefined();
    },
  );

  it('refuses non-strings without throwing', () => {
    expect(parseThaiMobile(undefined).valid).toBe(false);
    expect(parseThaiMobile({}).valid).toBe(false);
    expect(isThaiMobile(null)).toBe(false);
  });

  it('says a landline is not a mobile number', () => {
    const result = parseThaiMobile('021234567');
    expect(result.valid).toBe(false);
  });

  it('fast path agrees with libphonenumber-js on many generated numbers', () => {
    const digit = fc.constantFrom(...'0123456789'.split(''));
    const subscriber = fc.tuple(fc.constantFrom(...'6789'.split('')), fc.array(digit, { minLength: 8, maxLength: 8 }));
    const prefix = fc.constantFrom('0', '66', '+66', '+66 ', '0-');
    const separator = fc.constantFrom('', ' ', '-');
    fc.assert(
      fc.property(prefix, subscriber, separator, (p, [first, rest], sep) => {
        const national = first + rest.join('');
        const raw = `${p}${national.slice(0, 2)}${sep}${national.slice(2, 5)}${sep}${national.slice(5)}`;
        expect(toMsisdn(raw)).toBe(reference(raw));
        const parsed = parseThaiMobile(raw);
        expect(parsed.valid ? parsed.msisdn : undefined).toBe(reference(raw));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('maskPhone', () => {
  it('keeps the first three and last three digits', () => {
    expect(maskPhone('0812345678')).toBe('081xxxx678');
    expect(maskPhone('+66812345678')).toBe('081xxxx678');
    expect(maskPhone('66812345678')).toBe('081xxxx678');
  });

  it('masks unrecognisable input whole', () => {
    expect(maskPhone('12')).toBe('xxx');
    expect(maskPhone(undefined)).toBe('xxx');
  });
});
