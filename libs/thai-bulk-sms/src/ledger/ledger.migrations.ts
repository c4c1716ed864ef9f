import { Kysely, Migration, MigrationResultSet, Migrator, sql } from 'kysely';

/** One versioned change of the ledger's schema: SQL statements, `{schema}` standing for the schema name. */
export interface LedgerMigration {
  /** Applied in name order; recorded under this name in `<schema>.ledger_migration`. */
  readonly name: string;
  readonly statements: readonly string[];
}

/**
 * Versioned, never edited once released: a change is a new entry. The partitioned tables get their
 * day partitions from the store at start and from the purge (see ledger.partitions.ts), not here.
 */
export const LEDGER_MIGRATIONS: readonly LedgerMigration[] = [
  {
    name: '0001_initial',
    statements: [
      `create table {schema}.message (
        created_at timestamptz not null,
        request_id uuid not null,
        ordinal integer not null,
        registration text not null,
        message_id text,
        phone text not null,
        sender text not null,
        credit_type text not null,
        credits_used integer not null default 0,
        tags text[] not null default '{}',
        scheduled_at timestamptz,
        reference text,
        sent_status text not null,
        status text not null,
        status_at timestamptz not null,
        error_name text,
        error_source text,
        text_sha256 text not null,
        text_length integer not null,
        text_encoding text not null,
        text_parts integer not null,
        text text,
        primary key (created_at, request_id, ordinal)
      ) partition by range (created_at)`,
      `create index message_message_id on {schema}.message using hash (message_id) where message_id is not null`,
      `create index message_phone on {schema}.message (phone, created_at)`,
      `create index message_sender on {schema}.message (sender, created_at)`,
      `create index message_tags on {schema}.message using gin (tags)`,
      `create table {schema}.message_event (
        message_created_at timestamptz not null,
        request_id uuid not null,
        ordinal integer not null,
        event_key text not null,
        status text not null,
        at timestamptz not null,
        received_at timestamptz not null,
        source text not null,
        raw jsonb,
        primary key (message_created_at, request_id, ordinal, event_key)
      ) partition by range (message_created_at)`,
      `create table {schema}.otp (
        created_at timestamptz not null,
        id uuid not null,
        registration text not null,
        phone text not null,
        refno text,
        token_sha256 text,
        status text not null,
        failed_attempts integer not null default 0,
        attempt_keys text[] not null default '{}',
        status_at timestamptz not null,
        error_name text,
        primary key (created_at, id)
      ) partition by range (created_at)`,
      `create index otp_token on {schema}.otp (token_sha256) where token_sha256 is not null`,
      `create index otp_phone on {schema}.otp (phone, created_at)`,
      `create table {schema}.unknown_report (
        event_key text primary key,
        message_id text,
        phone text,
        status text not null,
        at timestamptz not null,
        received_at timestamptz not null,
        raw jsonb not null
      )`,
      `create index unknown_report_message_id on {schema}.unknown_report using hash (message_id)`,
      `create index unknown_report_phone on {schema}.unknown_report (phone)`,
      `create index unknown_report_received_at on {schema}.unknown_report (received_at)`,
    ],
  },
  {
    // What a vendor request's recipients share is kept once, in `request`; a message row keeps
    // only its own columns, and the indexes kept up at ingest are the ones its queries need.
    name: '0002_request_table',
    statements: [
      `create table {schema}.request (
        created_at timestamptz not null,
        request_id uuid not null,
        registration text not null,
        sender text not null,
        credit_type text not null,
        tags text[] not null default '{}',
        scheduled_at timestamptz,
        reference text,
        text_sha256 text not null,
        text_length integer not null,
        text_encoding text not null,
        text_parts integer not null,
        text text,
        primary key (created_at, request_id)
      ) partition by range (created_at)`,
      `create index request_sender on {schema}.request (sender, created_at)`,
      `create index request_tags on {schema}.request using gin (tags)`,
      // A request partition beside each day partition of message that holds rows already.
      `do $$
      declare part record;
      begin
        for part in
          select c.relname, pg_get_expr(c.relpartbound, c.oid) as bound
          from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = '{schema}.message'::regclass
        loop
          execute format('create table {schema}.%I partition of {schema}.request %s',
            replace(part.relname, 'message_', 'request_'), part.bound);
        end loop;
      end $$`,
      `insert into {schema}.request (created_at, request_id, registration, sender, credit_type, tags, scheduled_at,
        reference, text_sha256, text_length, text_encoding, text_parts, text)
      select distinct on (created_at, request_id) created_at, request_id, registration, sender, credit_type, tags,
        scheduled_at, reference, text_sha256, text_length, text_encoding, text_parts, text
      from {schema}.message order by created_at, request_id`,
      `drop index {schema}.message_sender`,
      `drop index {schema}.message_tags`,
      // A write is idempotent through its request row; the rows need no unique key of their own.
      `alter table {schema}.message drop constraint message_pkey`,
      `create index message_created_at on {schema}.message (created_at)`,
      `alter table {schema}.message drop column registration, drop column sender, drop column credit_type,
        drop column tags, drop column scheduled_at, drop column reference, drop column text_sha256,
        drop column text_length, drop column text_encoding, drop column text_parts, drop column text`,
    ],
  },
  {
    // The opt-out list beside the ledger (LedgerSuppressionList): `subject` is the number
    // (66XXXXXXXXX), or `#` and its keyed hash once erased with keep_after_erasure.
    name: '0003_suppression',
    statements: [
      `create table {schema}.suppression (
        subject text primary key,
        scope text not null check (scope in ('marketing', 'all')),
        reason text,
        keep_after_erasure boolean not null default false,
        at timestamptz not null
      )`,
      // A send asks whether any hash is kept before hashing its numbers: answered from this index.
      `create index suppression_erased on {schema}.suppression (subject) where subject like '#%'`,
    ],
  },
];

export const LEDGER_MIGRATION_TABLE = 'ledger_migration';
export const LEDGER_MIGRATION_LOCK_TABLE = 'ledger_migration_lock';

async function allApplied(db: Kysely<unknown>, schema: string, wanted: readonly LedgerMigration[]): Promise<boolean> {
  const table = sql.id(schema, LEDGER_MIGRATION_TABLE);
  const { rows } = await sql<{ names: string[] | null }>`
    select case when to_regclass(${`"${schema}"."${LEDGER_MIGRATION_TABLE}"`}) is null then null
      else (select array_agg(name::text) from ${table}) end as names`
    .execute(db)
    .catch(() => ({ rows: [] }));
  const applied = new Set(rows[0]?.names ?? []);
  return wanted.every((migration) => applied.has(migration.name));
}

function statementsFor(migration: LedgerMigration, schema: string): string[] {
  return migration.statements.map((statement) => statement.replaceAll('{schema}', `"${schema}"`));
}

/**
 * The whole schema as one SQL script, for teams that apply migrations with their own tool
 * (then set `migrations: false`). It creates the schema but not the migrations table.
 */
export function ledgerMigrationSql(schema = 'sms_ledger'): string {
  const lines = [`create schema if not exists "${schema}";`];
  for (const migration of LEDGER_MIGRATIONS) {
    lines.push(`-- ${migration.name}`, ...statementsFor(migration, schema).map((statement) => `${statement};`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Applies the migrations not yet applied, in one transaction, while holding PostgreSQL's advisory
 * lock for migrations (Kysely's Migrator): two instances starting at once apply each one once.
 * `upTo` stops after the migration of that name (default: all of them).
 */
export async function applyLedgerMigrations(
  db: Kysely<unknown>,
  schema: string,
  upTo?: string,
): Promise<MigrationResultSet> {
  const wanted = upTo === undefined ? LEDGER_MIGRATIONS : LEDGER_MIGRATIONS.filter((m) => m.name <= upTo);
  // Up to date (every start after the first): one cheap query, no lock, no catalogue scan.
  if (await allApplied(db, schema, wanted)) return { results: [] };
  const migrations: Record<string, Migration> = {};
  for (const migration of wanted) {
    migrations[migration.name] = {
      up: async (trx) => {
        for (const statement of statementsFor(migration, schema)) await sql.raw(statement).execute(trx);
      },
    };
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableSchema: schema,
    migrationTableName: LEDGER_MIGRATION_TABLE,
    migrationLockTableName: LEDGER_MIGRATION_LOCK_TABLE,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((item) => item.status === 'Error')?.migrationName;
    throw new Error(`ThaiBulkSmsLedgerModule: migration ${failed ?? '(setup)'} failed`, { cause: result.error });
  }
  return result;
}
