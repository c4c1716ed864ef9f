import { RawBuilder, sql } from 'kysely';
import { LedgerMessageBatch } from './ledger.types';

/**
 * The recipients of one write as columns, ready for `unnest`. A text column travels as one
 * tab-joined string split by the server (`string_to_array`): far less work on both sides than
 * an array parameter, which the driver escapes element by element and the server parses back.
 * A column with a value that a split could not give back (one holding a tab, or an empty string)
 * travels as an array parameter instead.
 */
export interface MessageColumns {
  /** 1-based position of the row's request among the write's batches. */
  readonly batch: RawBuilder<number[]>;
  readonly ordinal: RawBuilder<number[]>;
  readonly messageId: RawBuilder<(string | null)[]>;
  readonly phone: RawBuilder<string[]>;
  readonly status: RawBuilder<string[]>;
  readonly creditsUsed: RawBuilder<number[]>;
  readonly errorName: RawBuilder<(string | null)[]>;
  readonly errorSource: RawBuilder<(string | null)[]>;
}

const TAB = '\t';

function intColumn(values: readonly number[]): RawBuilder<number[]> {
  return sql<number[]>`string_to_array(${values.join(TAB)}::text, E'\\t')::int[]`;
}

/** A split gives back every value that holds no tab and is not empty (an empty element reads as NULL). */
function splittable(values: readonly (string | null | undefined)[]): boolean {
  for (const value of values) if (value === '' || (value != null && value.includes(TAB))) return false;
  return true;
}

function textColumn(values: (string | null)[]): RawBuilder<(string | null)[]> {
  // The empty string stands for NULL; with no NULL possible it is never met (see splittable).
  if (splittable(values)) return sql`string_to_array(${values.join(TAB)}::text, E'\\t', '')`;
  return sql`${values}::text[]`;
}

export function messageColumns(batches: readonly LedgerMessageBatch[]): MessageColumns {
  const batch: number[] = [];
  const ordinal: number[] = [];
  const messageId: (string | null)[] = [];
  const phone: string[] = [];
  const status: string[] = [];
  const creditsUsed: number[] = [];
  const errorName: (string | null)[] = [];
  const errorSource: (string | null)[] = [];
  batches.forEach((each, index) => {
    for (const row of each.recipients) {
      batch.push(index + 1);
      ordinal.push(row.ordinal);
      messageId.push(row.messageId ?? null);
      phone.push(row.phone);
      status.push(row.status);
      creditsUsed.push(row.creditsUsed);
      errorName.push(row.errorName ?? null);
      errorSource.push(row.errorSource ?? null);
    }
  });
  return {
    batch: intColumn(batch),
    ordinal: intColumn(ordinal),
    messageId: textColumn(messageId),
    phone: textColumn(phone) as RawBuilder<string[]>,
    status: textColumn(status) as RawBuilder<string[]>,
    creditsUsed: intColumn(creditsUsed),
    errorName: textColumn(errorName),
    errorSource: textColumn(errorSource),
  };
}

/** What the batches' recipients share, one JSON record per batch (a handful per write). */
export function requestRecords(batches: readonly LedgerMessageBatch[]): string {
  return JSON.stringify(
    batches.map((each, index) => ({
      b: index + 1,
      created_at: each.createdAt.toISOString(),
      request_id: each.requestId,
      registration: each.registration,
      sender: each.sender,
      credit_type: each.creditType,
      tags: each.tags,
      scheduled_at: each.scheduledAt?.toISOString() ?? null,
      reference: each.reference ?? null,
      text_sha256: each.text.sha256,
      text_length: each.text.length,
      text_encoding: each.text.encoding,
      text_parts: each.text.parts,
      text: each.text.full ?? null,
    })),
  );
}
