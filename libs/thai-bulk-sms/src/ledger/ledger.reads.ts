import { Kysely, Selectable, sql } from 'kysely';
import type { MessageEncoding } from '../message';
import type { CreditType } from '../message/vendor-limits';
import { LedgerStoreSearch } from './ledger.store';
import { LedgerTables, MessageTable, RequestTable } from './ledger.tables';
import {
  LEDGER_MESSAGE_STATUSES,
  LedgerDailyPoint,
  LedgerDeliveryGroup,
  LedgerEvent,
  LedgerMessage,
  LedgerMessageStatus,
  LedgerMessageSummary,
  LedgerOtp,
  LedgerOtpStatus,
  LedgerPage,
  LedgerReportGrouping,
} from './ledger.types';
import { encodeCursor } from './ledger.cursor';

type Db = Kysely<LedgerTables>;

/** A message row with what it shares with the rest of its request. */
const SUMMARY_COLUMNS = [
  'm.created_at',
  'm.request_id',
  'm.ordinal',
  'm.message_id',
  'm.phone',
  'm.credits_used',
  'm.status',
  'm.status_at',
  'm.error_name',
  'r.registration',
  'r.sender',
  'r.credit_type',
  'r.tags',
  'r.scheduled_at',
  'r.reference',
] as const;

type SummaryRow = Pick<Selectable<MessageTable>, 'created_at' | 'request_id' | 'ordinal' | 'message_id' | 'phone'> &
  Pick<Selectable<MessageTable>, 'credits_used' | 'status' | 'status_at' | 'error_name'> &
  Pick<Selectable<RequestTable>, 'registration' | 'sender' | 'credit_type' | 'tags' | 'scheduled_at' | 'reference'>;

/** Messages with their request (joined on the request's key, which a message row carries). */
function messagesWithRequest(db: Db, schema: string) {
  return db
    .withSchema(schema)
    .selectFrom('message as m')
    .innerJoin('request as r', (join) =>
      join.onRef('r.created_at', '=', 'm.created_at').onRef('r.request_id', '=', 'm.request_id'),
    );
}

function summaryOf(row: SummaryRow): LedgerMessageSummary {
  return {
    messageId: row.message_id ?? undefined,
    phone: row.phone,
    sender: row.sender,
    status: row.status as LedgerMessageStatus,
    creditType: row.credit_type as CreditType,
    creditsUsed: Number(row.credits_used),
    tags: row.tags,
    createdAt: row.created_at,
    statusAt: row.status_at,
    scheduledAt: row.scheduled_at ?? undefined,
    reference: row.reference ?? undefined,
    registration: row.registration,
    errorName: row.error_name ?? undefined,
  };
}

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

/** Newest first, by keyset (created_at, request_id, ordinal): a page costs the same however deep. */
export async function searchMessages(db: Db, schema: string, search: LedgerStoreSearch): Promise<LedgerPage> {
  const rows = await searchQuery(db, schema, search).execute();
  const items = rows.slice(0, search.limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > search.limit && last
      ? encodeCursor({ createdAt: last.created_at, requestId: last.request_id, ordinal: Number(last.ordinal) })
      : undefined;
  return { items: items.map(summaryOf), ...(nextCursor ? { nextCursor } : {}) };
}

/**
 * The query of a search page (one row more than the page, to tell whether another follows); the
 * bench explains it. The page is cut from `message` alone (a sender or tag filter asks its
 * request), then each row looks up its request: a page costs ~51 request lookups, whatever their number.
 */
export function searchQuery(db: Db, schema: string, search: LedgerStoreSearch) {
  const scoped = db.withSchema(schema);
  let page = scoped.selectFrom('message as m').selectAll('m');
  if (search.phone !== undefined) page = page.where('m.phone', '=', search.phone);
  if (search.status !== undefined) page = page.where('m.status', '=', search.status);
  if (search.from !== undefined) page = page.where('m.created_at', '>=', search.from);
  if (search.to !== undefined) page = page.where('m.created_at', '<', search.to);
  const { sender, tag, after } = search;
  if (sender !== undefined || tag !== undefined) {
    page = page.where((eb) => {
      let request = eb
        .selectFrom('request as r')
        .select(sql<number>`1`.as('one'))
        .whereRef('r.created_at', '=', 'm.created_at')
        .whereRef('r.request_id', '=', 'm.request_id');
      if (sender !== undefined) request = request.where('r.sender', '=', sender);
      if (tag !== undefined) request = request.where(sql<boolean>`r.tags @> ${[tag]}::text[]`);
      return eb.exists(request);
    });
  }
  if (after) {
    // The plain bound lets an index on (…, created_at) start at the cursor; the row comparison breaks ties.
    page = page.where('m.created_at', '<=', after.createdAt);
    page = page.where(
      sql<boolean>`(m.created_at, m.request_id, m.ordinal) < (${after.createdAt}::timestamptz, ${after.requestId}::uuid, ${after.ordinal}::int)`,
    );
  }
  const newestFirst = page
    .orderBy('m.created_at', 'desc')
    .orderBy('m.request_id', 'desc')
    .orderBy('m.ordinal', 'desc')
    .limit(search.limit + 1);
  // Lateral: one lookup of the request's key per row of the page (a hash join would read every request).
  return scoped
    .selectFrom(newestFirst.as('m'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('request as r')
          .select(['r.registration', 'r.sender', 'r.credit_type', 'r.tags', 'r.scheduled_at', 'r.reference'])
          .whereRef('r.created_at', '=', 'm.created_at')
          .whereRef('r.request_id', '=', 'm.request_id')
          // The key is unique; the limit keeps the planner from flattening this into a join.
          .limit(1)
          .as('r'),
      (join) => join.onTrue(),
    )
    .select(SUMMARY_COLUMNS)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.request_id', 'desc')
    .orderBy('m.ordinal', 'desc');
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
