import { checkScheduledDelivery, formatBangkokTime } from './scheduled-delivery';

describe('checkScheduledDelivery', () => {
  const now = Date.parse('2024-02-29T12:00:00+07:00');

  it('accepts fractional seconds and answers the instant', () => {
    expect(checkScheduledDelivery('2024-02-29T12:00:01.500+07:00', now)).toEqual({ ok: true, at: now + 1500 });
  });

  it('measures one year by the calendar (a leap day rolls to 1 March)', () => {
    expect(checkScheduledDelivery('2025-02-28T23:59:59+07:00', now)).toMatchObject({ ok: true });
    expect(checkScheduledDelivery('2025-03-01T12:00:00+07:00', now)).toEqual({
      ok: false,
      error: 'ERROR_SCHEDULED_DELIVERY_TOO_FAR',
    });
  });

  it('checks the format before the timezone, and the timezone before the time', () => {
    expect(checkScheduledDelivery('2024-13-01T00:00:00Z', now)).toEqual({
      ok: false,
      error: 'ERROR_SCHEDULED_DELIVERY',
    });
    expect(checkScheduledDelivery('2020-01-01T00:00:00Z', now)).toEqual({
      ok: false,
      error: 'ERROR_SCHEDULED_DELIVERY_TIMEZONE',
    });
    expect(checkScheduledDelivery('2024-02-29T12:00:00+07:00', now)).toEqual({
      ok: false,
      error: 'ERROR_SCHEDULED_DELIVERY',
    });
  });
});

describe('formatBangkokTime', () => {
  it('writes the vendor form in +07:00', () => {
    expect(formatBangkokTime(Date.parse('2020-12-17T10:12:00Z'))).toBe('2020-12-17T17:12:00+07:00');
  });
});
