import { Kysely, sql } from 'kysely';
import type { MessageEncoding } from '../message';
import type { CreditType } from '../message/vendor-limits';
import { messagesWithRequest, SUMMARY_COLUMNS, summaryOf } from './ledger.search';
import { LedgerTables } from './ledger.tables';
import {
  LEDGER_MESSAGE_STATUSES,
  LedgerDailyPoint,
  LedgerDeliveryGroup,
  LedgerEvent,
  LedgerMessage,
  LedgerMessageStatus,
  LedgerOtp,
  LedgerOtpStatus,
  LedgerReportGrouping,
} from './ledger.types';

type Db = Kysely<LedgerTables>;

/** The recipient a vendor message id names, with its text fingerprint and its timeline. */
export async function findMessage(db: Db, schema: string, messageId: string): Promise<LedgerMessage | undefined> {
  const row = await messagesWithRequest(db, schema)
    .select([
      ...SUMMARY_COLUMNS,
      'm.sent_status',
      'r.text_sha256',
      'r.text_length',
      'r.text_encoding',
      'r.text_parts',
      'r.text',
    ])
    .where('m.message_id', '=', messageId)
    .orderBy('m.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const reports = await db
    .withSchema(schema)
    .selectFrom('message_event')
    .select(['status', 'at', 'source', 'raw'])
    .where('message_created_at', '=', row.created_at)
    .where('request_id', '=', row.request_id)
    .where('ordinal', '=', row.ordinal)
    .orderBy('at')
    .orderBy('received_at')
    .execute();
  const events: LedgerEvent[] = [
    { status: row.sent_status as LedgerMessageStatus, at: row.created_at, source: 'send' },
    ...reports.map((event) => ({
      status: event.status as LedgerEvent['status'],
      at: event.at,
      source: event.source as LedgerEvent['source'],
      raw: event.raw as Record<string, unknown>,
    })),
  ];
  return {
    ...summaryOf(row),
    text: {
      sha256: row.text_sha256,
      length: Number(row.text_length),
      encoding: row.text_encoding as MessageEncoding,
      parts: Number(row.text_parts),
      ...(row.text === null ? {} : { full: row.text }),
    },
    events,
  };
}

export async function findOtps(db: Db, schema: string, msisdn: string, limit: number): Promise<LedgerOtp[]> {
  const rows = await db
    .withSchema(schema)
    .selectFrom('otp')
    .select(['phone', 'refno', 'status', 'failed_attempts', 'created_at', 'status_at', 'registration', 'error_name'])
    .where('phone', '=', msisdn)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    phone: row.phone,
    refno: row.refno ?? undefined,
    status: row.status as LedgerOtpStatus,
    failedAttempts: Number(row.failed_attempts),
    createdAt: row.created_at,
    statusAt: row.status_at,
    registration: row.registration,
    errorName: row.error_name ?? undefined,
  }));
}

interface GroupRow {
  key: string;
  status: string;
  credit_type: string;
  count: number;
  credits: number;
}

/** Counts per status, delivery rate and credits per pool, for each day, sender or tag of a range. */
export async function deliveryReport(
  db: Db,
  schema: string,
  from: Date,
  to: Date,
  groupBy: LedgerReportGrouping,
): Promise<LedgerDeliveryGroup[]> {
  const key =
    groupBy === 'day'
      ? sql`to_char((m.created_at at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD')`
      : groupBy === 'sender'
        ? sql`r.sender`
        : sql`unnest(case when cardinality(r.tags) = 0 then array['(none)'] else r.tags end)`;
  const { rows } = await sql<GroupRow>`
    select key, status, credit_type, count(*)::int as count, coalesce(sum(credits_used), 0)::int as credits
    from (select ${key} as key, m.status, r.credit_type, m.credits_used
          from ${sql.id(schema, 'message')} m
          join ${sql.id(schema, 'request')} r on r.created_at = m.created_at and r.request_id = m.request_id
          where m.created_at >= ${from}::timestamptz and m.created_at < ${to}::timestamptz) m
    group by key, status, credit_type
    order by key`.execute(db);
  const groups = new Map<
    string,
    { counts: Record<LedgerMessageStatus, number>; credits: Record<CreditType, number> }
  >();
  for (const row of rows) {
    let group = groups.get(row.key);
    if (!group) {
      group = {
        counts: Object.fromEntries(LEDGER_MESSAGE_STATUSES.map((s) => [s, 0])) as Record<LedgerMessageStatus, number>,
        credits: { standard: 0, corporate: 0 },
      };
      groups.set(row.key, group);
    }
    group.counts[row.status as LedgerMessageStatus] += Number(row.count);
    group.credits[row.credit_type as CreditType] += Number(row.credits);
  }
  return [...groups].map(([groupKey, { counts, credits }]) => ({
    key: groupKey,
    counts,
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
    deliveryRate: rate(counts.delivered, counts.accepted + counts.delivered + counts.undelivered + counts.expired),
    creditsUsed: credits,
  }));
}

/** Per Bangkok day: sent (taken by ThaiBulkSMS), delivered, failed (rejected, undelivered, expired). */
export async function dailySeries(
  db: Db,
  schema: string,
  days: readonly string[],
  from: Date,
  to: Date,
): Promise<LedgerDailyPoint[]> {
  const { rows } = await sql<{ day: string; sent: number; delivered: number; failed: number }>`
    select to_char((created_at at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD') as day,
      count(*) filter (where status in ('accepted', 'delivered', 'undelivered', 'expired'))::int as sent,
      count(*) filter (where status = 'delivered')::int as delivered,
      count(*) filter (where status in ('rejected', 'undelivered', 'expired'))::int as failed
    from ${sql.id(schema, 'message')}
    where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
    group by 1`.execute(db);
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return days.map((day) => {
    const row = byDay.get(day);
    const sent = Number(row?.sent ?? 0);
    const delivered = Number(row?.delivered ?? 0);
    return { day, sent, delivered, failed: Number(row?.failed ?? 0), deliveryRate: rate(delivered, sent) };
  });
}

function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
