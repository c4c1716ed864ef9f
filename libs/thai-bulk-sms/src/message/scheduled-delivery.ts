import { localVendorError } from '../errors';

const BANGKOK_OFFSET_MINUTES = 7 * 60;
// Date and time, optional seconds/fraction, optional offset (Z or ±hh:mm / ±hhmm).
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * The instant `value` names, written the way the vendor wants it: `2026-12-17T17:12:00+07:00`.
 *
 * Any offset is accepted and converted; a string without one is read as Bangkok time, the
 * vendor's own zone (never the server's, which would make the result depend on where it runs).
 * Impossible dates and times (`2027-02-30`, `T24:00`), past instants, instants a year or more
 * ahead and unreadable values are refused with the vendor's names before anything is sent.
 */
export function toBangkokSchedule(value: Date | string, nowMs: number): string {
  const instant = instantOf(value);
  if (instant === undefined) {
    throw localVendorError(
      'ERROR_SCHEDULED_DELIVERY',
      'scheduledAt must be a Date or a valid ISO-8601 date-time, e.g. 2026-12-17T17:12:00+07:00.',
    );
  }
  if (instant <= nowMs) throw localVendorError('ERROR_SCHEDULED_DELIVERY', 'scheduledAt is in the past.');
  const yearAhead = new Date(nowMs);
  yearAhead.setUTCFullYear(yearAhead.getUTCFullYear() + 1);
  if (instant >= yearAhead.getTime()) {
    throw localVendorError('ERROR_SCHEDULED_DELIVERY_TOO_FAR', 'scheduledAt must be less than one year ahead.');
  }
  // Shift to Bangkok wall time, print it as if UTC, then name the real offset.
  return `${new Date(instant + BANGKOK_OFFSET_MINUTES * 60_000).toISOString().slice(0, 19)}+07:00`;
}

/** The instant `value` names (epoch ms), or undefined when it names none (toBangkokSchedule says why). */
export function scheduledInstant(value: unknown): number | undefined {
  try {
    return instantOf(value);
  } catch {
    return undefined;
  }
}

function instantOf(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE_TIME.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone, sign, offsetHours, offsetMinutes] = match;
  if (zone !== undefined && zone.toUpperCase() !== 'Z' && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59))
    return undefined;
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)] as const;
  // Date.UTC (like Date.parse) silently rolls 30 February over into March and 24:00 into the next
  // day, so the wall time is built, then read back: any field that moved means it never existed.
  const wall = new Date(Date.UTC(...fields, Number(fraction.slice(0, 3).padEnd(3, '0'))));
  const readBack = [
    wall.getUTCFullYear(),
    wall.getUTCMonth(),
    wall.getUTCDate(),
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
  ];
  if (readBack.some((field, i) => field !== fields[i])) {
    throw localVendorError(
      'ERROR_SCHEDULED_DELIVERY',
      `scheduledAt names a date or time that does not exist (${value.trim().slice(0, 40)}).`,
    );
  }
  const offset =
    zone === undefined
      ? BANGKOK_OFFSET_MINUTES
      : zone.toUpperCase() === 'Z'
        ? 0
        : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  return wall.getTime() - offset * 60_000;
}
