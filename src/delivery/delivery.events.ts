import type { DeliveryReport } from '@app/thai-bulk-sms';

/** Events the webhook emits (via @nestjs/event-emitter) for each delivery report. */
export const DELIVERY_EVENTS = {
  delivered: 'sms.delivered',
  failed: 'sms.failed',
} as const;

/** The library's parsed DeliveryReport, narrowed to a known outcome, plus when we received it. */
export interface SmsDeliveryEvent extends DeliveryReport {
  readonly status: 'delivered' | 'failed';
  /** Epoch ms, from the app's clock. */
  readonly receivedAt: number;
}
