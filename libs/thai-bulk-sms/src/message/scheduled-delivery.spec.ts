import { ThaiBulkSmsError } from '../errors';
import { toBangkokSchedule } from './scheduled-delivery';

const NOW = Date.UTC(2026, 11, 1, 8, 0); // 2026-12-01 15:00 in Bangkok

function refusal(value: string): ThaiBulkSmsError | undefined {
  try {
    toBangkokSchedule(value, NOW);
  } catch (error) {
    return error as ThaiBulkSmsError;
  }
  return undefined;
}

describe('toBangkokSchedule', () => {
  it.each([
    ['2027-02-14T10:00+07:00', '2027-02-14T10:00:00+07:00'],
    ['2027-02-14T03:00:00Z', '2027-02-14T10:00:00+07:00'],
    ['2027-02-14 10:00', '2027-02-14T10:00:00+07:00'],
    ['2027-02-13T23:30:00-0530', '2027-02-14T12:00:00+07:00'],
    ['2027-02-28T10:00+07:00', '2027-02-28T10:00:00+07:00'],
    ['2026-12-31T23:59:59.999+07:00', '2026-12-31T23:59:59+07:00'],
  ])('writes %s as %s', (value, expected) => {
    expect(toBangkokSchedule(value, NOW)).toBe(expected);
  });

  it.each([
    '2027-02-30T10:00+07:00', // would roll over to 2 March
    '2027-02-29T10:00+07:00', // 2027 is not a leap year
    '2027-04-31T10:00+07:00',
    '2027-01-05T24:00+07:00', // would become the next day
    '2027-01-05T10:60+07:00',
    '2027-01-05T10:00:60+07:00',
    '2027-13-01T10:00+07:00',
    '2027-00-10T10:00+07:00',
    '2027-01-00T10:00+07:00',
    '2027-01-05T10:00+24:00',
    '2027-01-05T10:00+07:60',
  ])('refuses the impossible %s with ERROR_SCHEDULED_DELIVERY', (value) => {
    expect(refusal(value)).toMatchObject({ errorName: 'ERROR_SCHEDULED_DELIVERY', source: 'local' });
  });

  it('checks the fields in the offset given, not in UTC or Bangkok', () => {
    // 23:30 at -05:30 is already the next day in UTC and Bangkok; as written it exists.
    expect(toBangkokSchedule('2027-01-31T23:30-05:30', NOW)).toBe('2027-02-01T12:00:00+07:00');
    expect(refusal('2027-02-31T23:30-05:30')).toMatchObject({ errorName: 'ERROR_SCHEDULED_DELIVERY' });
  });

  it('keeps the past and the too far apart', () => {
    expect(refusal('2026-12-01T14:59+07:00')).toMatchObject({ errorName: 'ERROR_SCHEDULED_DELIVERY' });
    expect(refusal('2027-12-01T15:00+07:00')).toMatchObject({ errorName: 'ERROR_SCHEDULED_DELIVERY_TOO_FAR' });
  });
});
