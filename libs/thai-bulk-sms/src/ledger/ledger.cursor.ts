import { LedgerQueryError } from '../errors/ledger.errors';
import { LedgerRowKey } from './ledger.store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque page cursor: the last row's key, base64url. */
export function encodeCursor(key: LedgerRowKey): string {
  return Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.requestId, key.ordinal])).toString('base64url');
}

/** The row key a cursor holds; LedgerQueryError when it is not one this ledger made. */
export function decodeCursor(cursor: unknown): LedgerRowKey {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 200) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw badCursor();
  const [at, requestId, ordinal] = parsed as unknown[];
  const createdAt = typeof at === 'string' ? new Date(at) : undefined;
  if (!createdAt || Number.isNaN(createdAt.getTime())) throw badCursor();
  if (typeof requestId !== 'string' || !UUID.test(requestId)) throw badCursor();
  if (typeof ordinal !== 'number' || !Number.isInteger(ordinal) || ordinal < 0) throw badCursor();
  return { createdAt, requestId, ordinal };
}

function badCursor(): LedgerQueryError {
  return new LedgerQueryError('ERROR_QUERY_STRING', 'cursor is not a cursor this ledger gave.');
}
