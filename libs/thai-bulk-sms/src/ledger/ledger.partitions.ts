import { Kysely, sql } from 'kysely';
import { addDays, dayStart } from './ledger.days';
import { LedgerTables, PARTITIONED_TABLES } from './ledger.tables';

const PARTITION_NAME = /^(request|message|message_event|otp)_p(\d{4})(\d{2})(\d{2})$/;

/** `message_p20260131` for the table and Bangkok day. */
export function partitionName(table: string, day: string): string {
  return `${table}_p${day.replaceAll('-', '')}`;
}

interface PartitionRow {
  name: string;
  attached: boolean;
}

/** The schema's day partitions (attached or left detached by an interrupted purge). */
async function listPartitions(db: Kysely<LedgerTables>, schema: string): Promise<PartitionRow[]> {
  const { rows } = await sql<PartitionRow>`
    select c.relname as name, exists (select 1 from pg_inherits i where i.inhrelid = c.oid) as attached
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind = 'r' and c.relname ~ ${PARTITION_NAME.source}`.execute(db);
  return rows;
}

/**
 * Creates the missing day partitions of every partitioned table for `days`. In one transaction
 * under an advisory lock of the schema, so two instances never race on the same partition.
 */
export async function ensurePartitions(
  db: Kysely<LedgerTables>,
  schema: string,
  days: readonly string[],
): Promise<void> {
  const existing = new Set((await listPartitions(db, schema)).map((row) => row.name));
  const missing = PARTITIONED_TABLES.flatMap(({ table }) =>
    days.filter((day) => !existing.has(partitionName(table, day))).map((day) => ({ table, day })),
  );
  if (missing.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`thaibulksms-ledger:${schema}`}))`.execute(trx);
    for (const { table, day } of missing) {
      const from = dayStart(day).toISOString();
      const to = dayStart(addDays(day, 1)).toISOString();
      await sql`create table if not exists ${sql.id(schema, partitionName(table, day))}
        partition of ${sql.id(schema, table)} for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(trx);
    }
  });
}

/**
 * Drops the day partitions of days before `day`. Each is detached first without blocking writers
 * (DETACH … CONCURRENTLY, never in a transaction), then dropped, so no long lock is held on the
 * parent table. A partition left detached by an earlier, interrupted run is dropped too.
 */
export async function dropPartitionsBefore(db: Kysely<LedgerTables>, schema: string, day: string): Promise<number> {
  const cutoff = day.replaceAll('-', '');
  const old = (await listPartitions(db, schema)).filter((row) => {
    const [, , y, m, d] = PARTITION_NAME.exec(row.name)!;
    return `${y}${m}${d}` < cutoff;
  });
  let dropped = 0;
  for (const { name, attached } of old) {
    const table = PARTITION_NAME.exec(name)![1];
    if (attached) await detach(db, schema, table, name);
    await sql`drop table if exists ${sql.id(schema, name)}`.execute(db);
    dropped++;
  }
  return dropped;
}

async function detach(db: Kysely<LedgerTables>, schema: string, table: string, name: string): Promise<void> {
  const parent = sql.id(schema, table);
  const child = sql.id(schema, name);
  try {
    await sql`alter table ${parent} detach partition ${child} concurrently`.execute(db);
  } catch (error) {
    // A detach interrupted half-way leaves the partition "pending detach": finish it.
    if (!/pending detach|FINALIZE/i.test(error instanceof Error ? error.message : '')) throw error;
    await sql`alter table ${parent} detach partition ${child} finalize`.execute(db);
  }
}
