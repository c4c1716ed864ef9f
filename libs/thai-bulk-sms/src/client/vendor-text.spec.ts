import { MAX_VENDOR_TEXT_LENGTH, vendorErrorName, vendorTextScrubber } from './vendor-text';

describe('vendorTextScrubber', () => {
  const key = 'k3y-0123456789abcdef';
  const secret = 's3cr3t-0123456789abcdefghijklmnopqrstuvwxyz-0123456789';
  const text = vendorTextScrubber([key, secret, undefined, '']);

  it('keeps ordinary text as it is', () => {
    expect(text('MSISDN is invalid.')).toBe('MSISDN is invalid.');
  });

  it('answers undefined for anything but a non-empty string', () => {
    for (const value of [undefined, null, 5, {}, ['a'], '', '   ', '\n\t']) expect(text(value)).toBeUndefined();
  });

  it('redacts every credential, wherever and however often it appears', () => {
    expect(text(`a ${key} b ${secret}${secret} c`)).toBe('a [redacted] b [redacted][redacted] c');
  });

  it('puts the text on one line: each control character becomes a space', () => {
    expect(text('one\r\ntwo\u2028three\u0000four')).toBe('one  two three four');
  });

  it(`cuts at ${MAX_VENDOR_TEXT_LENGTH} characters`, () => {
    expect(text('x'.repeat(100_000))).toBe('x'.repeat(MAX_VENDOR_TEXT_LENGTH));
  });

  it('leaves no piece of a credential, even where the text is cut and redactions shorten it', () => {
    // Many redactions before the cut pull what follows them forward; a credential cut at the end
    // of the window read must still land past the final cut, whatever its offset.
    for (let repeats = 0; repeats < 40; repeats++) {
      for (let pad = 0; pad <= secret.length; pad++) {
        const safe = text(`${secret.repeat(repeats)}${'p'.repeat(pad)}${secret.repeat(3)}`)!;
        expect(safe.length).toBeLessThanOrEqual(MAX_VENDOR_TEXT_LENGTH);
        for (let i = 0; i + 8 <= secret.length; i++) {
          const piece = secret.slice(i, i + 8);
          if (safe.includes(piece)) throw new Error(`${repeats}/${pad}: "${piece}" of the secret survived in ${safe}`);
        }
      }
    }
  });
});

describe('vendorErrorName', () => {
  it.each(['ERROR_MSISDN', 'ERROR_SYSTEM_FAILURE', 'OTP_ERROR', 'ERROR_BRAND_NEW_2'])('takes %s', (name) => {
    expect(vendorErrorName(name)).toBe(name);
  });

  it.each([
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['lower case', 'error_msisdn'],
    ['a newline', 'ERROR_X\nERROR_Y'],
    ['65 characters', `E${'X'.repeat(64)}`],
    ['100 KB', 'E'.repeat(100_000)],
    ['empty', ''],
    ['a number', 114],
  ])('refuses %s', (_, name) => {
    expect(vendorErrorName(name)).toBeUndefined();
  });
});
