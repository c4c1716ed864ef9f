import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * PGlite behind the small `pg` Pool surface that Kysely's PostgresDialect drives, so the embedded
 * store and a PostgreSQL server run the same dialect, compiler and migrations. PGlite is one
 * session, so the "pool" hands out that session to one caller at a time (a transaction is never
 * interleaved with another caller's statements).
 */
export class PgliteSessionPool implements PostgresPool {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly pglite: PGlite,
    private readonly owned: boolean,
  ) {}

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
    if (this.owned && !this.pglite.closed) await this.pglite.close();
  }

  private async run<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
    const result = await this.pglite.query<R>(sql, parameters as unknown[]);
    // pg reports the command tag; Kysely reads it for COMMIT/ROLLBACK and affected-row counts.
    const command = (/^\s*([a-z]+)/i.exec(sql)?.[1] ?? '').toUpperCase();
    return { command: command as PostgresQueryResult<R>['command'], rowCount: result.affectedRows ?? 0, rows: result.rows };
  }
}
