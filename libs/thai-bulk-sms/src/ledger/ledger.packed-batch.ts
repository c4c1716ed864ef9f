import { LedgerMessageBatch, LedgerRecipientWrite } from './ledger.types';

/** What a request's recipients share: every field of a batch but its rows. */
export type LedgerRequestFields = Omit<LedgerMessageBatch, 'recipients'>;

/** One request's rows as tab-joined columns; an empty element is NULL (see packable). */
export interface PackedColumns {
  readonly messageId: string;
  readonly phone: string;
  readonly status: string;
  readonly creditsUsed: string;
  readonly errorName: string;
  readonly errorSource: string;
}

const TAB = '\t';

/** Values a tab-joined column gives back as they were: none holds a tab, none is empty (empty reads as NULL). */
export function packable(values: readonly (string | null | undefined)[]): boolean {
  for (const value of values) if (value === '' || (value != null && value.includes(TAB))) return false;
  return true;
}

const join = (values: readonly (string | number | null | undefined)[]) => values.join(TAB);
const split = (column: string) => column.split(TAB);

/**
 * A vendor request's rows kept as six strings rather than 500 objects: a chunk's rows may wait for
 * a lane while the sender makes several young generations of garbage, and 500 objects that
 * outlive them are promoted and collected late (the sender's CPU, the process's peak RSS). The
 * store writes the columns as they are; `recipients` unpacks them for anything else (a custom
 * store, an erasure of a number still waiting, a log line).
 */
export class PackedMessageBatch implements LedgerMessageBatch {
  readonly createdAt: Date;
  readonly requestId: string;
  readonly registration: string;
  readonly sender: string;
  readonly creditType: LedgerMessageBatch['creditType'];
  readonly tags: readonly string[];
  readonly scheduledAt?: Date;
  readonly reference?: string;
  readonly text: LedgerMessageBatch['text'];

  constructor(
    fields: LedgerRequestFields,
    /** Rows; their ordinals are 0 to count - 1. */
    readonly count: number,
    readonly columns: PackedColumns,
  ) {
    this.createdAt = fields.createdAt;
    this.requestId = fields.requestId;
    this.registration = fields.registration;
    this.sender = fields.sender;
    this.creditType = fields.creditType;
    this.tags = fields.tags;
    this.scheduledAt = fields.scheduledAt;
    this.reference = fields.reference;
    this.text = fields.text;
  }

  get recipients(): LedgerRecipientWrite[] {
    const { messageId, phone, status, creditsUsed, errorName, errorSource } = this.columns;
    const [ids, phones, statuses, credits, names, sources] = [
      messageId,
      phone,
      status,
      creditsUsed,
      errorName,
      errorSource,
    ].map(split);
    return phones.map((value, ordinal) => ({
      ordinal,
      messageId: ids[ordinal] || undefined,
      phone: value,
      status: statuses[ordinal] as LedgerRecipientWrite['status'],
      creditsUsed: Number(credits[ordinal]),
      errorName: names[ordinal] || undefined,
      errorSource: (sources[ordinal] || undefined) as LedgerRecipientWrite['errorSource'],
    }));
  }
}

/** The rows of one request, in order, column by column (what capture collects). */
export interface RecipientColumns {
  readonly messageId: (string | undefined)[];
  readonly phone: string[];
  readonly status: LedgerRecipientWrite['status'][];
  readonly creditsUsed: number[];
  readonly errorName: (string | undefined)[];
  readonly errorSource: LedgerRecipientWrite['errorSource'][];
}

/** A packed batch when every text value survives the tab join, else one object per row. */
export function packBatch(fields: LedgerRequestFields, rows: RecipientColumns): LedgerMessageBatch {
  const { messageId, phone, status, creditsUsed, errorName, errorSource } = rows;
  if ([messageId, phone, errorName, errorSource].every(packable)) {
    const columns = {
      messageId: join(messageId),
      phone: join(phone),
      status: join(status),
      creditsUsed: join(creditsUsed),
      errorName: join(errorName),
      errorSource: join(errorSource),
    };
    return new PackedMessageBatch(fields, phone.length, columns);
  }
  const recipients = phone.map((value, ordinal) => ({
    ordinal,
    messageId: messageId[ordinal],
    phone: value,
    status: status[ordinal],
    creditsUsed: creditsUsed[ordinal],
    errorName: errorName[ordinal],
    errorSource: errorSource[ordinal],
  }));
  return { ...fields, recipients };
}

/** How many rows a batch holds, without unpacking it. */
export function rowCount(batch: LedgerMessageBatch): number {
  return batch instanceof PackedMessageBatch ? batch.count : batch.recipients.length;
}

/** The batch with only the rows of other numbers (an erasure), or undefined when none is left. */
export function withoutPhone(batch: LedgerMessageBatch, msisdn: string): LedgerMessageBatch | undefined {
  const rows = batch.recipients;
  const kept = rows.filter((row) => row.phone !== msisdn);
  if (kept.length === rows.length) return batch;
  if (kept.length === 0) return undefined;
  const { createdAt, requestId, registration, sender, creditType, tags, scheduledAt, reference, text } = batch;
  return {
    createdAt,
    requestId,
    registration,
    sender,
    creditType,
    tags,
    scheduledAt,
    reference,
    text,
    recipients: kept,
  };
}
