import { Kysely, sql } from 'kysely';
import { dayStart } from './ledger.days';
import { dropPartitionsBefore } from './ledger.partitions';
import { LedgerTables } from './ledger.tables';
import { LedgerErasure } from './ledger.types';

type Db = Kysely<LedgerTables>;

/** Rows per delete of the unpartitioned table, so no delete holds its locks for long. */
const PURGE_BATCH = 1_000;

/**
 * Every record of one number, in one statement (one transaction): its messages with their
 * timelines, the request rows (text, tags, reference) left without any recipient, its OTP
 * requests and the delivery reports kept apart that name it.
 */
export async function eraseNumber(db: Db, schema: string, msisdn: string): Promise<LedgerErasure> {
  const { rows } = await sql<LedgerErasure>`
    with m as (
      delete from ${sql.id(schema, 'message')} where phone = ${msisdn}
      returning created_at, request_id, ordinal
    ), e as (
      delete from ${sql.id(schema, 'message_event')} ev using m
      where ev.message_created_at = m.created_at and ev.request_id = m.request_id and ev.ordinal = m.ordinal
      returning 1
    ), r as (
      -- The statement sees the rows it deletes: "left without any recipient" means none of another number.
      delete from ${sql.id(schema, 'request')} r using (select distinct created_at, request_id from m) d
      where r.created_at = d.created_at and r.request_id = d.request_id and not exists (
        select 1 from ${sql.id(schema, 'message')} x
        where x.created_at = r.created_at and x.request_id = r.request_id and x.phone <> ${msisdn})
      returning 1
    ), o as (
      delete from ${sql.id(schema, 'otp')} where phone = ${msisdn} returning 1
    ), u as (
      delete from ${sql.id(schema, 'unknown_report')} where phone = ${msisdn} returning 1
    )
    select (select count(*) from m)::int as messages, (select count(*) from o)::int as otps,
      (select count(*) from e)::int as events, (select count(*) from u)::int as "unknownReports"`.execute(db);
  const counts = rows[0];
  return {
    messages: Number(counts.messages),
    otps: Number(counts.otps),
    events: Number(counts.events),
    unknownReports: Number(counts.unknownReports),
  };
}

/**
 * Drops the records of days before `day`: the day partitions of the three partitioned tables
 * whole, then the unpartitioned table in small batches. One instance at a time (a session
 * advisory lock; another instance's purge returns at once with nothing done).
 */
export async function purgeBefore(
  db: Db,
  schema: string,
  day: string,
): Promise<{ partitionsDropped: number; unknownReports: number }> {
  return db.connection().execute(async (session) => {
    const lock = sql`hashtext(${`thaibulksms-ledger-purge:${schema}`})`;
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${lock}) as locked`.execute(session);
    if (!rows[0]?.locked) return { partitionsDropped: 0, unknownReports: 0 };
    try {
      const partitionsDropped = await dropPartitionsBefore(session, schema, day);
      let unknownReports = 0;
      for (;;) {
        const table = sql.id(schema, 'unknown_report');
        const result = await sql`delete from ${table} where event_key in (
            select event_key from ${table} where received_at < ${dayStart(day)}::timestamptz limit ${PURGE_BATCH})`.execute(
          session,
        );
        const deleted = Number(result.numAffectedRows ?? 0);
        unknownReports += deleted;
        if (deleted < PURGE_BATCH) break;
      }
      return { partitionsDropped, unknownReports };
    } finally {
      await sql`select pg_advisory_unlock(${lock})`.execute(session);
    }
  });
}
