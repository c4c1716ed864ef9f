import { toMsisdn } from '../phone';
import { decodeCursor } from './ledger.cursor';
import { LedgerQueryError } from '../errors/ledger.errors';
import { LedgerStoreSearch } from './ledger.store';
import {
  LEDGER_MESSAGE_STATUSES,
  LedgerDeliveryReportQuery,
  LedgerMessageStatus,
  LedgerReportGrouping,
  LedgerSearchQuery,
} from './ledger.types';

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 200;
/** A delivery report covers at most this many days (it reads every row of the range). */
export const MAX_REPORT_DAYS = 366;
const MAX_TEXT = 200;

const GROUPINGS: readonly LedgerReportGrouping[] = ['day', 'sender', 'tag'];

function queryError(message: string): LedgerQueryError {
  return new LedgerQueryError('ERROR_QUERY_STRING', message);
}

/** 66XXXXXXXXX from any Thai form; LedgerQueryError (ERROR_MSISDN) otherwise. */
export function msisdnOf(phone: unknown): string {
  const msisdn = typeof phone === 'string' && phone.length <= 40 ? toMsisdn(phone) : undefined;
  if (!msisdn) throw new LedgerQueryError('ERROR_MSISDN', 'phone must be a Thai mobile number.');
  return msisdn;
}

function dateOf(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw queryError(`${field} must be an ISO-8601 date or time.`);
  return date;
}

function textOf(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_TEXT) {
    throw queryError(`${field} must be text of at most ${MAX_TEXT} characters.`);
  }
  return value;
}

function statusOf(value: unknown): LedgerMessageStatus | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!LEDGER_MESSAGE_STATUSES.includes(value as LedgerMessageStatus)) {
    throw queryError(`status must be one of ${LEDGER_MESSAGE_STATUSES.join(', ')}.`);
  }
  return value as LedgerMessageStatus;
}

function limitOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_SEARCH_LIMIT;
  const limit = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw queryError(`limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}.`);
  }
  return limit;
}

/** A search as the store takes it: every field checked, the phone normalised, the cursor decoded. */
export function storeSearchOf(query: LedgerSearchQuery = {}): LedgerStoreSearch {
  if (typeof query !== 'object' || query === null) throw queryError('the search must be an object.');
  const from = dateOf(query.from, 'from');
  const to = dateOf(query.to, 'to');
  if (from && to && from >= to) throw queryError('from must be before to.');
  const cursor = query.cursor === undefined || query.cursor === '' ? undefined : decodeCursor(query.cursor);
  return {
    phone: query.phone === undefined || query.phone === '' ? undefined : msisdnOf(query.phone),
    status: statusOf(query.status),
    tag: textOf(query.tag, 'tag'),
    sender: textOf(query.sender, 'sender'),
    from,
    to,
    limit: limitOf(query.limit),
    after: cursor,
  };
}

/** The range and grouping of a delivery report, checked. */
export function reportRangeOf(query: LedgerDeliveryReportQuery): {
  from: Date;
  to: Date;
  groupBy: LedgerReportGrouping;
} {
  if (typeof query !== 'object' || query === null) throw queryError('the report query must be an object.');
  const from = dateOf(query.from, 'from');
  const to = dateOf(query.to, 'to');
  if (!from || !to) throw queryError('from and to are required.');
  if (from >= to) throw queryError('from must be before to.');
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
    throw queryError(`a report covers at most ${MAX_REPORT_DAYS} days.`);
  }
  const groupBy = query.groupBy ?? 'day';
  if (!GROUPINGS.includes(groupBy)) throw queryError(`groupBy must be one of ${GROUPINGS.join(', ')}.`);
  return { from, to, groupBy };
}

/** A vendor message id as a lookup takes it. */
export function messageIdOf(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > 128) {
    throw queryError('messageId must be text of 1 to 128 characters.');
  }
  return value;
}
