import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: written as a Date, read back as a Date. */
type Timestamp = ColumnType<Date, Date, Date>;

/** What the recipients of one vendor request share (`request`, partitioned by day on `created_at`). */
export interface RequestTable {
  created_at: Timestamp;
  request_id: string;
  registration: string;
  sender: string;
  credit_type: string;
  tags: string[];
  scheduled_at: Timestamp | null;
  reference: string | null;
  text_sha256: string;
  text_length: number;
  text_encoding: string;
  text_parts: number;
  text: string | null;
}

/** One row per recipient per send (`message`, partitioned by day on `created_at`); its request by (created_at, request_id). */
export interface MessageTable {
  created_at: Timestamp;
  request_id: string;
  ordinal: number;
  message_id: string | null;
  phone: string;
  credits_used: number;
  sent_status: string;
  status: string;
  status_at: Timestamp;
  error_name: string | null;
  error_source: string | null;
}

/** A message's status timeline after the send (`message_event`, partitioned with its message). */
export interface MessageEventTable {
  message_created_at: Timestamp;
  request_id: string;
  ordinal: number;
  event_key: string;
  status: string;
  at: Timestamp;
  received_at: Timestamp;
  source: string;
  raw: unknown;
}

/** One row per OTP request (`otp`, partitioned by day on `created_at`). */
export interface OtpTable {
  created_at: Timestamp;
  id: string;
  registration: string;
  phone: string;
  refno: string | null;
  token_sha256: string | null;
  status: string;
  failed_attempts: Generated<number>;
  attempt_keys: Generated<string[]>;
  status_at: Timestamp;
  error_name: string | null;
}

/** Delivery reports whose message id the ledger does not (yet) hold. */
export interface UnknownReportTable {
  event_key: string;
  message_id: string | null;
  phone: string | null;
  status: string;
  at: Timestamp;
  received_at: Timestamp;
  raw: unknown;
}

/** The opt-out list (LedgerSuppressionList): a number, or `#<keyed hash>` once erased. */
export interface SuppressionTable {
  subject: string;
  scope: string;
  reason: string | null;
  keep_after_erasure: boolean;
  at: Timestamp;
}

export interface LedgerTables {
  suppression: SuppressionTable;
  request: RequestTable;
  message: MessageTable;
  message_event: MessageEventTable;
  otp: OtpTable;
  unknown_report: UnknownReportTable;
}

/** The partitioned tables and the column each is partitioned on (by day, Asia/Bangkok). */
export const PARTITIONED_TABLES = [
  { table: 'request', column: 'created_at' },
  { table: 'message', column: 'created_at' },
  { table: 'message_event', column: 'message_created_at' },
  { table: 'otp', column: 'created_at' },
] as const;
