import { RawBuilder, sql } from 'kysely';
import { packable, PackedMessageBatch } from './ledger.packed-batch';
import { LedgerMessageBatch } from './ledger.types';

/**
 * The recipients of one write as columns, ready for `unnest`. A text column travels as one
 * tab-joined string split by the server (`string_to_array`): far less work on both sides than
 * an array parameter, which the driver escapes element by element and the server parses back.
 * A batch captured from a send is already in columns (PackedMessageBatch). A column with a value
 * that a split could not give back (one holding a tab, or an empty string) travels as an array
 * parameter instead.
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

type TextName = 'messageId' | 'phone' | 'status' | 'errorName' | 'errorSource';
const TEXT_NAMES: readonly TextName[] = ['messageId', 'phone', 'status', 'errorName', 'errorSource'];

/** One batch's columns: ints always joined; a text column joined, or undefined when its values cannot be. */
interface BatchParts {
  readonly batch: string;
  readonly ordinal: string;
  readonly creditsUsed: string;
  readonly text: Record<TextName, string | undefined>;
}

/** `n` times the same number, tab-joined. */
const sameNumber = (value: number, n: number) => `${value}${TAB}`.repeat(n).slice(0, -1);

function partsOf(each: LedgerMessageBatch, position: number): BatchParts {
  if (each instanceof PackedMessageBatch) {
    const ordinals = Array.from({ length: each.count }, (_, i) => i);
    return {
      batch: sameNumber(position, each.count),
      ordinal: ordinals.join(TAB),
      creditsUsed: each.columns.creditsUsed,
      text: each.columns,
    };
  }
  const rows = each.recipients;
  const text = {} as Record<TextName, string | undefined>;
  for (const name of TEXT_NAMES) {
    const values = rows.map((row) => row[name]);
    text[name] = packable(values) ? values.join(TAB) : undefined;
  }
  return {
    batch: sameNumber(position, rows.length),
    ordinal: rows.map((row) => row.ordinal).join(TAB),
    creditsUsed: rows.map((row) => row.creditsUsed).join(TAB),
    text,
  };
}

const intColumn = (parts: readonly string[]) => sql<number[]>`string_to_array(${parts.join(TAB)}::text, E'\\t')::int[]`;

/** Every batch's values of a column that could not travel joined, as an array parameter. */
function valuesOf(batches: readonly LedgerMessageBatch[], name: TextName): (string | null)[] {
  return batches.flatMap((each) => each.recipients.map((row) => row[name] ?? null));
}

export function messageColumns(batches: readonly LedgerMessageBatch[]): MessageColumns {
  const parts = batches.map((each, index) => partsOf(each, index + 1));
  const text = (name: TextName): RawBuilder<(string | null)[]> => {
    const joined = parts.map((part) => part.text[name]);
    // The empty string stands for NULL; no value is empty (see packable).
    if (joined.every((part) => part !== undefined)) return sql`string_to_array(${joined.join(TAB)}::text, E'\\t', '')`;
    return sql`${valuesOf(batches, name)}::text[]`;
  };
  return {
    batch: intColumn(parts.map((part) => part.batch)),
    ordinal: intColumn(parts.map((part) => part.ordinal)),
    messageId: text('messageId'),
    phone: text('phone') as RawBuilder<string[]>,
    status: text('status') as RawBuilder<string[]>,
    creditsUsed: intColumn(parts.map((part) => part.creditsUsed)),
    errorName: text('errorName'),
    errorSource: text('errorSource'),
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
