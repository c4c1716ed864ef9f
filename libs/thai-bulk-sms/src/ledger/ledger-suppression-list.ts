import { Kysely, sql } from 'kysely';
import { Msisdn } from '../phone';
import {
  erasedEntry,
  SuppressionEntry,
  SuppressionErasureOutcome,
  SuppressionList,
  SuppressionListOptions,
  SuppressionScope,
  widerScope,
} from '../compliance/suppression-list';
import { LedgerTables } from './ledger.tables';

interface SuppressionRow {
  subject: string;
  scope: string | null;
  reason: string | null;
  keep_after_erasure: boolean;
  at: Date | string;
}

/** The subject a lookup answers when the table keeps at least one keyed hash. */
const HASHES_KEPT = '#';

/**
 * The opt-out list in the ledger's database (table `<schema>.suppression`, migration
 * 0003_suppression), on PostgreSQL or PGlite alike: from `MessageLedger.suppressionList()`, which
 * shares the ledger's connection and waits for its migrations. A send's lookup is one indexed
 * query per chunk of 500 numbers (and a second one only while erased entries are kept as hashes).
 */
export class LedgerSuppressionList extends SuppressionList {
  constructor(
    private readonly db: Kysely<LedgerTables>,
    private readonly schema: string,
    /** Settles once the ledger's migrations ran (rejects when its start failed). */
    private readonly ready: Promise<void>,
    options: SuppressionListOptions = {},
  ) {
    super(options);
  }

  private get table() {
    return sql.id(this.schema, 'suppression');
  }

  async scopesOf(msisdns: readonly Msisdn[]): Promise<readonly (SuppressionScope | undefined)[]> {
    if (msisdns.length === 0) return [];
    await this.ready;
    const found = await this.lookup(msisdns, this.keepsHashes);
    const scopes = msisdns.map((msisdn) => found.get(msisdn));
    if (!found.has(HASHES_KEPT)) return scopes;
    const hashes = this.hashesOf(msisdns);
    const kept = await this.lookup(hashes, false);
    return scopes.map((scope, i) => {
      const hashed = kept.get(hashes[i]);
      return hashed ? widerScope(scope, hashed) : scope;
    });
  }

  protected async read(msisdn: Msisdn): Promise<SuppressionEntry | undefined> {
    await this.ready;
    const hash = this.hashOf(msisdn) ?? '';
    const { rows } = await sql<SuppressionRow>`select subject, scope, reason, keep_after_erasure, at from ${this.table}
      where subject in (${msisdn}::text, ${hash}::text) order by subject desc`.execute(this.db);
    // Digits sort after '#': the number's own entry first, then its hash.
    const row = rows[0];
    if (row === undefined) return undefined;
    return row.subject === msisdn ? entryOf(msisdn, row) : erasedEntry(msisdn, scopeOf(row.scope), new Date(row.at));
  }

  protected async write(entry: SuppressionEntry): Promise<SuppressionEntry> {
    await this.ready;
    const { rows } =
      await sql<SuppressionRow>`insert into ${this.table} as s (subject, scope, reason, keep_after_erasure, at)
      values (${entry.phone}, ${entry.scope}, ${entry.reason ?? null}, ${entry.keepAfterErasure === true}, ${entry.at})
      on conflict (subject) do update set scope = case when s.scope = 'all' then 'all' else excluded.scope end,
        reason = excluded.reason, keep_after_erasure = excluded.keep_after_erasure, at = excluded.at
      returning subject, scope, reason, keep_after_erasure, at`.execute(this.db);
    return entryOf(entry.phone, rows[0]);
  }

  protected async delete(msisdn: Msisdn): Promise<boolean> {
    await this.ready;
    const hash = this.hashOf(msisdn) ?? '';
    const result = await sql`delete from ${this.table} where subject in (${msisdn}::text, ${hash}::text)`.execute(
      this.db,
    );
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  /** One statement: the entry goes, and comes back as its hash when marked (the wider scope kept). */
  protected override async erase(msisdn: Msisdn, hash: string | undefined): Promise<SuppressionErasureOutcome> {
    await this.ready;
    const keptAs = hash ?? '';
    const { rows } = await sql<{ gone: number; kept: number; hashed: boolean }>`
      with gone as (delete from ${this.table} where subject = ${msisdn} returning scope, keep_after_erasure, at),
      kept as (
        insert into ${this.table} as s (subject, scope, keep_after_erasure, at)
        select ${keptAs}::text, scope, true, at from gone where keep_after_erasure and ${keptAs}::text <> ''
        on conflict (subject) do update set scope = case when s.scope = 'all' then 'all' else excluded.scope end
        returning 1)
      select (select count(*) from gone)::int as gone, (select count(*) from kept)::int as kept,
        exists (select 1 from ${this.table} where subject = ${keptAs}::text and ${keptAs}::text <> '') as hashed`.execute(
      this.db,
    );
    const { gone, kept, hashed } = rows[0];
    if (Number(kept) > 0) return 'kept-as-hash';
    if (Number(gone) > 0) return 'removed';
    return hashed ? 'kept-as-hash' : 'not-listed';
  }

  /** Scope per subject found; with `askHashes`, the subject `#` too when any hash is kept. */
  private async lookup(subjects: readonly string[], askHashes: boolean): Promise<Map<string, SuppressionScope>> {
    // One text parameter split in SQL: the same on pg and PGlite, and one plan whatever the count.
    // One primary-key probe per number (the lateral subquery with `offset 0` is never flattened),
    // so the plan stays an index lookup before the table has statistics too (right after a bulk
    // import `= any(...)` was planned as a sequential scan; bench/RESULTS.md, issue 16).
    const list = subjects.join(',');
    const matches = sql<SuppressionRow>`select s.subject, s.scope from unnest(string_to_array(${list}, ',')) as k(subject)
      cross join lateral (select t.subject, t.scope from ${this.table} t where t.subject = k.subject offset 0) s`;
    const { rows } = askHashes
      ? await sql<SuppressionRow>`${matches}
          union all select ${HASHES_KEPT}::text, null::text where exists (select 1 from ${this.table} where subject like '#%')`.execute(
          this.db,
        )
      : await matches.execute(this.db);
    const found = new Map<string, SuppressionScope>();
    for (const row of rows) found.set(row.subject, scopeOf(row.scope));
    return found;
  }
}

function scopeOf(value: string | null): SuppressionScope {
  return value === 'all' ? 'all' : 'marketing';
}

function entryOf(phone: Msisdn, row: SuppressionRow): SuppressionEntry {
  return {
    phone,
    scope: scopeOf(row.scope),
    ...(row.reason ? { reason: row.reason } : {}),
    at: new Date(row.at),
    ...(row.keep_after_erasure ? { keepAfterErasure: true as const } : {}),
  };
}
