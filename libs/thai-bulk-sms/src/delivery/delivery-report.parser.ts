import { toMsisdn } from '../phone';
import { DeliveryReport, DeliveryStatus } from './delivery-report.types';

// The vendor publishes no format (docs/vendor-api.md, "Delivery reports"); these are the names seen in the wild.
const MESSAGE_ID_KEYS = ['message_id', 'messageid', 'msg_id', 'msgid', 'id', 'transaction_id'];
const PHONE_KEYS = ['msisdn', 'phone', 'phone_number', 'number', 'to', 'mobile'];
const STATUS_KEYS = ['status', 'state', 'dlr_status', 'delivery_status', 'stat'];
const TIME_KEYS = ['time', 'timestamp', 'delivered_at', 'done_date', 'done_at', 'updated_at', 'date', 'datetime'];
const ERROR_KEYS = ['error', 'error_message', 'error_code', 'err', 'reason', 'description'];

const DELIVERED = new Set([
  'delivered',
  'delivrd',
  'success',
  'successful',
  'sent',
  'ok',
  'delivered_to_handset',
  'done',
]);
const FAILED = new Set([
  'failed',
  'fail',
  'undeliv',
  'undelivered',
  'rejected',
  'rejectd',
  'expired',
  'error',
  'deleted',
  'unknown_subscriber',
]);

/**
 * Reads a delivery report from whatever the webhook received: a parsed query or body object,
 * a URLSearchParams, a JSON or form-encoded string. Merge query and body before calling when a
 * sender splits fields between them. Never throws: unknown fields are kept in `raw`, an unknown
 * status becomes `other`.
 */
export function parseDeliveryReport(payload: unknown): DeliveryReport {
  const raw = toRecord(payload);
  const lookup = new Map<string, unknown>();
  // messageId, message-id and MESSAGE_ID all read as message_id.
  for (const [key, value] of Object.entries(raw)) if (!lookup.has(snake(key))) lookup.set(snake(key), value);

  const rawStatus = pick(lookup, STATUS_KEYS);
  const phone = pick(lookup, PHONE_KEYS);
  const timeText = pick(lookup, TIME_KEYS);
  return {
    messageId: pick(lookup, MESSAGE_ID_KEYS),
    phone: phone === undefined ? undefined : (toMsisdn(phone) ?? phone),
    status: statusOf(rawStatus),
    rawStatus,
    time: timeOf(timeText),
    error: pick(lookup, ERROR_KEYS),
    raw,
  };
}

/** A batch: an array of reports, or one report. */
export function parseDeliveryReports(payload: unknown): DeliveryReport[] {
  const value = typeof payload === 'string' ? (tryJson(payload) ?? payload) : payload;
  if (Array.isArray(value)) return value.map(parseDeliveryReport);
  const record = value as { reports?: unknown; data?: unknown } | undefined;
  if (record && Array.isArray(record.reports)) return record.reports.map(parseDeliveryReport);
  if (record && Array.isArray(record.data)) return record.data.map(parseDeliveryReport);
  return [parseDeliveryReport(value)];
}

const snake = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-\s]/g, '_');

/**
 * The first of `keys` whose value reads as text: a string, number or boolean, or the first entry
 * of a repeated field when that entry is one. Anything else (objects, nested arrays) is skipped
 * unread: stringifying a hostile shape, such as arrays nested thousands deep, would throw.
 */
function pick(lookup: Map<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = lookup.get(key);
    const text = scalarText(Array.isArray(value) ? (value as unknown[])[0] : value);
    if (text !== undefined) return text;
  }
  return undefined;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function statusOf(text: string | undefined): DeliveryStatus {
  if (!text) return 'other';
  const key = text.trim().toLowerCase().replace(/[\s-]/g, '_');
  if (DELIVERED.has(key)) return 'delivered';
  if (FAILED.has(key)) return 'failed';
  return 'other';
}

function timeOf(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  // Unix time in seconds or milliseconds.
  const time = /^\d{10}$/.test(text) ? Number(text) * 1000 : /^\d{13}$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

function toRecord(payload: unknown): Record<string, unknown> {
  if (payload instanceof URLSearchParams) return Object.fromEntries(payload.entries());
  if (typeof payload === 'string') {
    const json = tryJson(payload);
    if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
    return Object.fromEntries(new URLSearchParams(payload.replace(/^\?/, '')).entries());
  }
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    // Copy: a parsed body may be a null-prototype object, and callers may reuse theirs.
    return { ...(payload as Record<string, unknown>) };
  }
  return {};
}

function tryJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
