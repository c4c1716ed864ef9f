export type DeliveryStatus = 'delivered' | 'failed' | 'other';

/** A delivery report in one shape, whatever field names the sender used. */
export interface DeliveryReport {
  readonly messageId?: string;
  /** `66XXXXXXXXX` when it reads as a Thai mobile number; as received otherwise. */
  readonly phone?: string;
  readonly status: DeliveryStatus;
  /** The status text as received, e.g. `DELIVRD`. */
  readonly rawStatus?: string;
  /** When the report says it happened; undefined when absent or unreadable. */
  readonly time?: Date;
  readonly error?: string;
  /** Every field as received, unknown ones included. */
  readonly raw: Readonly<Record<string, unknown>>;
}
