import { Kysely, sql } from 'kysely';
import { messageColumns, requestRecords } from './ledger.message-rows';
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
 * The rows of one or more vendor requests in one statement. Each request's shared fields go to
 * `request` once; its recipients' rows are written only when its request row is new, so a
 * retried write (one that timed out but landed) adds nothing. Answers the delivery reports that
 * came before their message (kept apart until now), to be applied.
 */
export async function insertMessages(
  db: Db,
  schema: string,
  batches: readonly LedgerMessageBatch[],
): Promise<LedgerReportWrite[]> {
  const c = messageColumns(batches);
  const { rows } = await sql<UnknownReportRow>`
    with batch as (
      select * from jsonb_to_recordset(${requestRecords(batches)}::jsonb) as r(b int, created_at timestamptz,
        request_id uuid, registration text, sender text, credit_type text, tags text[], scheduled_at timestamptz,
        reference text, text_sha256 text, text_length int, text_encoding text, text_parts int, text text)
    ), fresh as (
      insert into ${sql.id(schema, 'request')} (created_at, request_id, registration, sender, credit_type, tags,
        scheduled_at, reference, text_sha256, text_length, text_encoding, text_parts, text)
      select created_at, request_id, registration, sender, credit_type, tags, scheduled_at, reference, text_sha256,
        text_length, text_encoding, text_parts, text
      from batch
      on conflict do nothing
      returning created_at, request_id
    ), input as (
      select * from unnest(${c.batch}, ${c.ordinal}, ${c.messageId}, ${c.phone}, ${c.status}, ${c.creditsUsed},
        ${c.errorName}, ${c.errorSource}) as u(b, ordinal, message_id, phone, status, credits_used, error_name, error_source)
    ), inserted as (
      insert into ${sql.id(schema, 'message')} (created_at, request_id, ordinal, message_id, phone, credits_used,
        sent_status, status, status_at, error_name, error_source)
      select f.created_at, f.request_id, i.ordinal, i.message_id, i.phone, i.credits_used, i.status, i.status,
        f.created_at, i.error_name, i.error_source
      from input i join batch r on r.b = i.b join fresh f on f.created_at = r.created_at and f.request_id = r.request_id
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
