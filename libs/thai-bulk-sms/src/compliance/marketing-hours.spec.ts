import { MarketingHours } from './marketing-hours';

/** The instant of a Bangkok wall time (`2030-01-15T20:59:59.999`), independent of the machine's zone. */
const bangkok = (wall: string) => Date.parse(`${wall}+07:00`);

describe('MarketingHours (Bangkok wall time, +07:00 all year)', () => {
  const hours = new MarketingHours('09:00', '21:00');

  it.each([
    ['2030-01-15T08:59:59.999', false],
    ['2030-01-15T09:00:00.000', true],
    ['2030-01-15T20:59:59.999', true],
    ['2030-01-15T21:00:00.000', false],
    ['2030-01-15T23:59:59.999', false],
    ['2030-01-16T00:00:00.000', false],
    // 02:00 UTC is 09:00 in Bangkok: the window is not the server's clock.
    ['2030-06-30T09:00:00.000', true],
  ])('%s Bangkok is open: %s', (wall, open) => {
    expect(hours.isOpen(bangkok(wall))).toBe(open);
  });

  it('opens next at 09:00 the same day before the window, and the next day after it', () => {
    expect(hours.nextOpening(bangkok('2030-01-15T08:59:59.999'))).toBe(bangkok('2030-01-15T09:00:00.000'));
    expect(hours.nextOpening(bangkok('2030-01-15T00:00:00.000'))).toBe(bangkok('2030-01-15T09:00:00.000'));
    expect(hours.nextOpening(bangkok('2030-01-15T21:00:00.000'))).toBe(bangkok('2030-01-16T09:00:00.000'));
    expect(hours.nextOpening(bangkok('2030-12-31T23:30:00.000'))).toBe(bangkok('2031-01-01T09:00:00.000'));
    expect(hours.nextOpening(bangkok('2030-01-15T12:00:00.000'))).toBe(bangkok('2030-01-15T12:00:00.000'));
  });

  it('takes other windows and refuses impossible ones', () => {
    const late = new MarketingHours('10:30', '18:15');
    expect(late.isOpen(bangkok('2030-01-15T10:29:59.999'))).toBe(false);
    expect(late.isOpen(bangkok('2030-01-15T10:30:00.000'))).toBe(true);
    expect(late.isOpen(bangkok('2030-01-15T18:15:00.000'))).toBe(false);
    expect(late.window).toBe('10:30-18:15');
    expect(() => new MarketingHours('21:00', '09:00')).toThrow(RangeError);
    expect(() => new MarketingHours('9:00', '21:00')).toThrow(RangeError);
    expect(() => new MarketingHours('09:00', '24:00')).toThrow(RangeError);
  });
});
