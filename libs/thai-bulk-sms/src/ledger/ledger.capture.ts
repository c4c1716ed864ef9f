import { createHash, randomUUID } from 'node:crypto';
import { OTP_ERROR_NAMES } from '../errors';
import type {
  DeliveryReportObserved,
  ObservedSend,
  OtpRequestObserved,
  OtpVerifyObserved,
  SmsRequestObserved,
} from '../observers/thai-bulk-sms.observer';
import { toMsisdn } from '../phone';
import { LedgerMessageText } from './ledger.options';
import { packBatch, RecipientColumns } from './ledger.packed-batch';
import {
  LedgerMessageBatch,
  LedgerOtpRequestWrite,
  LedgerOtpVerifyWrite,
  LedgerRecipientWrite,
  LedgerReportStatus,
  LedgerReportWrite,
  LedgerText,
} from './ledger.types';

/** Bounds on what comes from outside (the vendor's answer, a webhook) before it is stored. */
const MAX_ID = 128;
const MAX_PHONE = 32;
const MAX_RAW_KEYS = 32;
const MAX_RAW_KEY = 64;
const MAX_RAW_VALUE = 512;
/** The vendor's name for a number it will not send to; its per-number refusals carry only a reason. */
const REFUSED_NUMBER = 'ERROR_MSISDN';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function textOf(send: ObservedSend, mode: LedgerMessageText): LedgerText {
  const { estimate, message } = send;
  return {
    sha256: sha256(message),
    length: estimate.length,
    encoding: estimate.encoding,
    parts: estimate.parts,
    ...(mode === 'full' ? { full: message } : {}),
  };
}

/** `YYYY-MM-DD HH:mm` Bangkok wall time, as sent to ThaiBulkSMS. */
function scheduledOf(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const at = new Date(`${text.replace(' ', 'T')}:00+07:00`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function phoneOf(entry: unknown): string {
  const text = typeof entry === 'string' ? entry : typeof entry === 'number' ? String(entry) : '';
  return toMsisdn(text) ?? text.slice(0, MAX_PHONE);
}

/** The rows of one vendor request: one per recipient, whatever became of it. */
export function messageBatchOf(event: SmsRequestObserved, mode: LedgerMessageText): LedgerMessageBatch {
  const { send } = event;
  const fields = {
    createdAt: event.at,
    requestId: randomUUID(),
    registration: event.registration,
    sender: send.sender,
    creditType: event.result?.creditType ?? send.creditType,
    tags: send.tags,
    scheduledAt: scheduledOf(send.scheduledAt),
    reference: send.reference,
    text: textOf(send, mode),
  };
  return packBatch(fields, recipientColumnsOf(event));
}

/** Each recipient of a request as a row: answered, unconfirmed, failed or refused locally. */
function recipientColumnsOf(event: SmsRequestObserved): RecipientColumns {
  const rows: RecipientColumns = {
    messageId: [],
    phone: [],
    status: [],
    creditsUsed: [],
    errorName: [],
    errorSource: [],
  };
  const add = (
    phone: string,
    status: LedgerRecipientWrite['status'],
    creditsUsed: number,
    messageId?: string,
    errorName?: string,
    errorSource?: LedgerRecipientWrite['errorSource'],
  ) => {
    rows.phone.push(phone);
    rows.status.push(status);
    rows.creditsUsed.push(creditsUsed);
    rows.messageId.push(messageId);
    rows.errorName.push(errorName);
    rows.errorSource.push(errorSource);
  };
  const { error } = event;
  // A partly confirmed answer: its confirmed part like an answer, the rest unknown below.
  const result = event.result ?? event.partial;
  if (result) {
    for (const accepted of result.accepted) {
      const credits = Number.isFinite(accepted.credits) ? accepted.credits : 0;
      add(phoneOf(accepted.phone), 'accepted', credits, String(accepted.messageId).slice(0, MAX_ID));
    }
    for (const rejected of result.rejected) {
      add(phoneOf(rejected.phone), 'rejected', 0, undefined, REFUSED_NUMBER, 'vendor');
    }
  }
  if (event.partial) {
    for (const msisdn of event.partial.unconfirmed) add(msisdn, 'unknown', 0, undefined, error?.errorName, 'vendor');
  } else if (!result) {
    // No answer: the request may have sent (unknown), or provably sent nothing (rejected).
    const status = event.mayHaveTakenEffect ? 'unknown' : 'rejected';
    const errorSource = error?.source === 'local' ? 'local' : 'vendor';
    for (const msisdn of event.msisdns) add(msisdn, status, 0, undefined, error?.errorName, errorSource);
  }
  for (const rejected of event.localRejects) {
    add(phoneOf(rejected.phone), 'rejected', 0, undefined, REFUSED_NUMBER, 'local');
  }
  return rows;
}

function reportStatusOf(event: DeliveryReportObserved): LedgerReportStatus {
  const { status, rawStatus } = event.report;
  if (status === 'delivered') return 'delivered';
  if (status === 'failed') return /expir/i.test(rawStatus ?? '') ? 'expired' : 'undelivered';
  return 'other';
}

/** At most MAX_RAW_KEYS fields, keys and values cut short, nested values as bounded JSON text. */
export function boundedRaw(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const bounded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw).slice(0, MAX_RAW_KEYS)) {
    const name = key.slice(0, MAX_RAW_KEY);
    if (value === null || typeof value === 'number' || typeof value === 'boolean') bounded[name] = value;
    else if (typeof value === 'string') bounded[name] = value.slice(0, MAX_RAW_VALUE);
    else bounded[name] = (JSON.stringify(value) ?? typeof value).slice(0, MAX_RAW_VALUE);
  }
  return bounded;
}

/** A delivery report keyed by its content: the same report received twice has the same key. */
export function reportWriteOf(event: DeliveryReportObserved): LedgerReportWrite {
  const { report } = event;
  const raw = boundedRaw(report.raw);
  const sorted = Object.fromEntries(Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    eventKey: sha256(JSON.stringify(sorted)),
    messageId: report.messageId?.slice(0, MAX_ID),
    phone: report.phone === undefined ? undefined : phoneOf(report.phone),
    status: reportStatusOf(event),
    at: report.time ?? event.at,
    receivedAt: event.at,
    raw,
  };
}

/** An OTP request: the token is kept only as its hash, the PIN never reaches the ledger. */
export function otpRequestOf(event: OtpRequestObserved): LedgerOtpRequestWrite {
  const { result, error } = event;
  return {
    id: randomUUID(),
    createdAt: event.at,
    registration: event.registration,
    phone: event.msisdn,
    refno: result?.refno === undefined ? undefined : String(result.refno).slice(0, MAX_PHONE),
    tokenSha256: result ? sha256(result.token) : undefined,
    status: result ? 'requested' : event.mayHaveTakenEffect ? 'unknown' : 'rejected',
    errorName: error?.errorName,
  };
}

/** A verify's outcome, or undefined when it says nothing about the code (its outcome is unknown). */
export function otpVerifyOf(event: OtpVerifyObserved): LedgerOtpVerifyWrite | undefined {
  const outcome = event.verified
    ? 'verified'
    : event.error?.errorName === OTP_ERROR_NAMES.codeInvalid
      ? 'failed'
      : event.error?.errorName === OTP_ERROR_NAMES.tokenExpired
        ? 'expired'
        : undefined;
  if (!outcome) return undefined;
  return { attemptKey: randomUUID(), tokenSha256: sha256(event.token), at: event.at, outcome };
}
