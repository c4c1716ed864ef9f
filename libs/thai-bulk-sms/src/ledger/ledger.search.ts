import { Kysely, Selectable, sql } from 'kysely';
import type { CreditType } from '../message/vendor-limits';
import { encodeCursor } from './ledger.cursor';
import { LedgerStoreSearch } from './ledger.store';
import { LedgerTables, MessageTable, RequestTable } from './ledger.tables';
import { LedgerMessageStatus, LedgerMessageSummary, LedgerPage } from './ledger.types';

type Db = Kysely<LedgerTables>;

/** A message row with what it shares with the rest of its request. */
export const SUMMARY_COLUMNS = [
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

export type SummaryRow = Pick<
  Selectable<MessageTable>,
  'created_at' | 'request_id' | 'ordinal' | 'message_id' | 'phone'
> &
  Pick<Selectable<MessageTable>, 'credits_used' | 'status' | 'status_at' | 'error_name'> &
  Pick<Selectable<RequestTable>, 'registration' | 'sender' | 'credit_type' | 'tags' | 'scheduled_at' | 'reference'>;

/** Messages with their request (joined on the request's key, which a message row carries). */
export function messagesWithRequest(db: Db, schema: string) {
  return db
    .withSchema(schema)
    .selectFrom('message as m')
    .innerJoin('request as r', (join) =>
      join.onRef('r.created_at', '=', 'm.created_at').onRef('r.request_id', '=', 'm.request_id'),
    );
}

export function summaryOf(row: SummaryRow): LedgerMessageSummary {
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
