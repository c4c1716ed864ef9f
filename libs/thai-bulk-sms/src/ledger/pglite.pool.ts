import type { LedgerPglite } from './ledger.options';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** Runs one statement on a PGlite session: in this thread, or in the worker that holds it. */
export interface PgliteRunner {
  query(sql: string, parameters: readonly unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
  close(): Promise<void>;
}

/** A PGlite instance the app gave: run here, never closed by the ledger. */
export function inThreadRunner(pglite: LedgerPglite): PgliteRunner {
  return {
    query: (sql, parameters) => pglite.query(sql, parameters as unknown[]),
    close: () => Promise.resolve(),
  };
}

/**
 * PGlite behind the small `pg` Pool surface that Kysely's PostgresDialect drives, so the embedded
 * store and a PostgreSQL server run the same dialect, compiler and migrations. PGlite is one
 * session, so the "pool" hands it to one caller at a time (a transaction is never interleaved
 * with another caller's statements).
 */
export class PgliteSessionPool implements PostgresPool {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly runner: PgliteRunner) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    await previous;
    let released = false;
    const client = {
      query: <R>(sql: string, parameters: readonly unknown[]) => this.run<R>(sql, parameters),
      release: () => {
        if (released) return;
        released = true;
        release();
      },
    };
    // Cursors (Kysely's streaming) are never used by the ledger.
    return client as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.tail;
    await this.runner.close();
  }

  private async run<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
    const result = await this.runner.query(sql, parameters);
    // pg reports the command tag; Kysely reads it for COMMIT/ROLLBACK and affected-row counts.
    const command = (/^\s*([a-z]+)/i.exec(sql)?.[1] ?? '').toUpperCase() as PostgresQueryResult<R>['command'];
    return { command, rowCount: result.affectedRows ?? 0, rows: result.rows as R[] };
  }
}
