/**
 * `scheduled_delivery` as the vendor documents it: RFC-3339 with seconds, in Asia/Bangkok
 * (`+07:00`), in the future and less than one year ahead.
 */
export type ScheduleCheck =
  | { readonly ok: true; readonly at: number }
  | {
      readonly ok: false;
      readonly error:
        'ERROR_SCHEDULED_DELIVERY' | 'ERROR_SCHEDULED_DELIVERY_TIMEZONE' | 'ERROR_SCHEDULED_DELIVERY_TOO_FAR';
    };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export function checkScheduledDelivery(value: string, now: number): ScheduleCheck {
  const match = RFC3339.exec(value.trim());
  if (!match) return { ok: false, error: 'ERROR_SCHEDULED_DELIVERY' };
  const [, year, month, day, hour, minute, second, , offset] = match;
  if (!isRealDateTime(+year, +month, +day, +hour, +minute, +second))
    return { ok: false, error: 'ERROR_SCHEDULED_DELIVERY' };
  if (offset !== '+07:00') return { ok: false, error: 'ERROR_SCHEDULED_DELIVERY_TIMEZONE' };
  const at = Date.parse(value.trim());
  // The vendor names no error for a time already past; the format error is the closest it has.
  if (!Number.isFinite(at) || at <= now) return { ok: false, error: 'ERROR_SCHEDULED_DELIVERY' };
  const oneYearAhead = new Date(now);
  oneYearAhead.setUTCFullYear(oneYearAhead.getUTCFullYear() + 1);
  if (at >= oneYearAhead.getTime()) return { ok: false, error: 'ERROR_SCHEDULED_DELIVERY_TOO_FAR' };
  return { ok: true, at };
}

function isRealDateTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** A time as the vendor writes it: `2020-12-17T17:12:00+07:00`. */
export function formatBangkokTime(ms: number): string {
  const shifted = new Date(ms + 7 * 3600_000).toISOString();
  return `${shifted.slice(0, 19)}+07:00`;
}
