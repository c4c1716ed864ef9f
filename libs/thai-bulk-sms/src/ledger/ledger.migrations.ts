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
];

export const LEDGER_MIGRATION_TABLE = 'ledger_migration';
export const LEDGER_MIGRATION_LOCK_TABLE = 'ledger_migration_lock';

async function allApplied(db: Kysely<unknown>, schema: string): Promise<boolean> {
  const table = sql.id(schema, LEDGER_MIGRATION_TABLE);
  const { rows } = await sql<{ names: string[] | null }>`
    select case when to_regclass(${`"${schema}"."${LEDGER_MIGRATION_TABLE}"`}) is null then null
      else (select array_agg(name::text) from ${table}) end as names`
    .execute(db)
    .catch(() => ({ rows: [] }));
  const applied = new Set(rows[0]?.names ?? []);
  return LEDGER_MIGRATIONS.every((migration) => applied.has(migration.name));
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
 */
export async function applyLedgerMigrations(db: Kysely<unknown>, schema: string): Promise<MigrationResultSet> {
  // Up to date (every start after the first): one cheap query, no lock, no catalogue scan.
  if (await allApplied(db, schema)) return { results: [] };
  const migrations: Record<string, Migration> = {};
  for (const migration of LEDGER_MIGRATIONS) {
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
