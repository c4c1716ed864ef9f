import { escapeLogText, logSafeText } from './thai-bulk-sms.logger';

describe('logSafeText (a value from outside, on its way to a log line)', () => {
  it('masks anything that reads as a phone number, in any spelling', () => {
    expect(logSafeText('Undeliverable to +66 81 234 5003')).toBe('Undeliverable to 081xxxx003');
    expect(logSafeText('to 0812345003, then 66-81-234-5004')).toBe('to 081xxxx003, then 081xxxx004');
    expect(logSafeText('(081) 234.5003')).not.toMatch(/2345003|234\.5003/);
  });

  it('escapes line breaks and every other control character, so one value stays on one line', () => {
    const forged = 'm1\n[Nest] 1  - 01/01/2030     ERROR [Bootstrap] forged\r\u2028\u001b[31m\u0000';
    const safe = logSafeText(forged, 500)!;
    // eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(safe).toBe('m1\\n[Nest] 1  - 01/01/2030     ERROR [Bootstrap] forged\\r\\u2028\\u001b[31m\\u0000');
    // Escaping is idempotent: a value escaped once passes a text-format logger unchanged.
    expect(escapeLogText(safe)).toBe(safe);
  });

  it('bounds the length, and reads only plain values', () => {
    expect(logSafeText('x'.repeat(1000))).toBe(`${'x'.repeat(64)}…`);
    expect(logSafeText('abc', 2)).toBe('ab…');
    expect(logSafeText(42)).toBe('42');
    expect(logSafeText(undefined)).toBeUndefined();
    expect(logSafeText(null)).toBeUndefined();
    let deep: unknown = ['x'];
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(logSafeText(deep)).toBe('[array]');
    expect(logSafeText({ toString: () => '0812345003' })).toBe('[object]');
  });
});
