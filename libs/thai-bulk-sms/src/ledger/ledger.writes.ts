import { Kysely, sql } from 'kysely';
import { LedgerTables } from './ledger.tables';
import {
  FINAL_MESSAGE_STATUSES,
  LedgerMessageBatch,
  LedgerOtpRequestWrite,
  LedgerOtpVerifyWrite,
  LedgerReportStatus,
  LedgerReportWrite,
} from './ledger.types';

type Db = Kysely<LedgerTables>;

const FINAL = sql.join(FINAL_MESSAGE_STATUSES.map((status) => sql.lit(status)));

interface UnknownReportRow {
  event_key: string;
  message_id: string | null;
  phone: string | null;
  status: string;
  at: Date;
  received_at: Date;
  raw: Record<string, unknown>;
}

/**
 * The rows of one vendor request in one statement: the per-recipient columns travel as arrays
 * (unnest), the rest once. Rows already there (a retried write) are left alone. Answers the
 * delivery reports that came before their message (kept apart until now), to be applied.
 */
export async function insertMessages(db: Db, schema: string, batch: LedgerMessageBatch): Promise<LedgerReportWrite[]> {
  const { recipients, text } = batch;
  const column = <T>(pick: (row: (typeof recipients)[number]) => T) => recipients.map(pick);
  const { rows } = await sql<UnknownReportRow>`
    with input as (
      select * from unnest(
        ${column((r) => r.ordinal)}::int[], ${column((r) => r.messageId ?? null)}::text[],
        ${column((r) => r.phone)}::text[], ${column((r) => r.status)}::text[],
        ${column((r) => r.creditsUsed)}::int[], ${column((r) => r.errorName ?? null)}::text[],
        ${column((r) => r.errorSource ?? null)}::text[]
      ) as u(ordinal, message_id, phone, status, credits_used, error_name, error_source)
    ), inserted as (
      insert into ${sql.id(schema, 'message')} (created_at, request_id, ordinal, registration, message_id, phone,
        sender, credit_type, credits_used, tags, scheduled_at, reference, sent_status, status, status_at,
        error_name, error_source, text_sha256, text_length, text_encoding, text_parts, text)
      select ${batch.createdAt}::timestamptz, ${batch.requestId}::uuid, ordinal, ${batch.registration}::text,
        message_id, phone, ${batch.sender}::text, ${batch.creditType}::text, credits_used, ${[...batch.tags]}::text[],
        ${batch.scheduledAt ?? null}::timestamptz, ${batch.reference ?? null}::text, status, status,
        ${batch.createdAt}::timestamptz, error_name, error_source, ${text.sha256}::text, ${text.length}::int,
        ${text.encoding}::text, ${text.parts}::int, ${text.full ?? null}::text
      from input
      on conflict do nothing
    )
    select u.* from ${sql.id(schema, 'unknown_report')} u
    where u.message_id in (select message_id from input where message_id is not null)`.execute(db);
  return rows.map((row) => ({
    eventKey: row.event_key,
    messageId: row.message_id ?? undefined,
    phone: row.phone ?? undefined,
    status: row.status as LedgerReportStatus,
    at: row.at,
    receivedAt: row.received_at,
    raw: row.raw,
  }));
}

/**
 * Applies a delivery report by message id, in one statement: adds it to the timeline (once: its
 * key is its hash) and moves the message to a final state only from a state that is not final,
 * so a late or repeated report never undoes a newer one. Answers whether the message was found.
 */
export async function applyReport(db: Db, schema: string, report: LedgerReportWrite): Promise<boolean> {
  const message = sql.id(schema, 'message');
  const isFinal = report.status !== 'other';
  const { rows } = await sql<{ found: number }>`
    with target as (
      select created_at, request_id, ordinal from ${message}
      where message_id = ${report.messageId ?? null}::text
      order by created_at desc limit 1
    ), moved as (
      update ${message} m set status = ${report.status}::text, status_at = ${report.at}::timestamptz
      from target t
      where ${isFinal}::boolean and m.created_at = t.created_at and m.request_id = t.request_id
        and m.ordinal = t.ordinal and m.status not in (${FINAL})
      returning 1
    ), event as (
      insert into ${sql.id(schema, 'message_event')} (message_created_at, request_id, ordinal, event_key, status, at,
        received_at, source, raw)
      select t.created_at, t.request_id, t.ordinal, ${report.eventKey}::text, ${report.status}::text,
        ${report.at}::timestamptz, ${report.receivedAt}::timestamptz, 'report', ${JSON.stringify(report.raw)}::jsonb
      from target t
      on conflict do nothing
      returning 1
    )
    select (select count(*) from target)::int as found, (select count(*) from moved)::int as moved`.execute(db);
  return Number(rows[0]?.found ?? 0) > 0;
}

/** Keeps a report whose message id the ledger does not hold (once per report). */
export async function keepUnknownReport(db: Db, schema: string, report: LedgerReportWrite): Promise<void> {
  await sql`insert into ${sql.id(schema, 'unknown_report')} (event_key, message_id, phone, status, at, received_at, raw)
    values (${report.eventKey}, ${report.messageId ?? null}, ${report.phone ?? null}, ${report.status},
      ${report.at}::timestamptz, ${report.receivedAt}::timestamptz, ${JSON.stringify(report.raw)}::jsonb)
    on conflict do nothing`.execute(db);
}

/** A report that was kept apart, now applied to its message: no longer unknown. */
export async function forgetUnknownReport(db: Db, schema: string, eventKey: string): Promise<void> {
  await sql`delete from ${sql.id(schema, 'unknown_report')} where event_key = ${eventKey}`.execute(db);
}

export async function insertOtpRequest(db: Db, schema: string, otp: LedgerOtpRequestWrite): Promise<void> {
  await sql`insert into ${sql.id(schema, 'otp')} (created_at, id, registration, phone, refno, token_sha256, status,
      status_at, error_name)
    values (${otp.createdAt}::timestamptz, ${otp.id}::uuid, ${otp.registration}, ${otp.phone}, ${otp.refno ?? null},
      ${otp.tokenSha256 ?? null}, ${otp.status}, ${otp.createdAt}::timestamptz, ${otp.errorName ?? null})
    on conflict do nothing`.execute(db);
}

/**
 * Records a verify attempt on its OTP request (found by the token's hash): a wrong code counts a
 * failed attempt, once per attempt; `verified` and `expired` are final.
 */
export async function applyOtpVerify(db: Db, schema: string, verify: LedgerOtpVerifyWrite): Promise<void> {
  const failed = verify.outcome === 'failed';
  const status = failed ? null : verify.outcome;
  await sql`update ${sql.id(schema, 'otp')} set
      failed_attempts = failed_attempts + ${failed ? 1 : 0}::int,
      status = coalesce(${status}::text, status),
      status_at = case when ${status}::text is null then status_at else ${verify.at}::timestamptz end,
      attempt_keys = attempt_keys || ${verify.attemptKey}::text
    where token_sha256 = ${verify.tokenSha256} and status not in ('verified', 'expired')
      and not (${verify.attemptKey}::text = any(attempt_keys))`.execute(db);
}
