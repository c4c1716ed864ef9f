import { randomUUID } from 'node:crypto';
import { sha256 } from './ledger.capture';
import { addDays, bangkokDay, dayStart } from './ledger.days';
import { LedgerMessageBatch, LedgerRecipientWrite, LedgerReportWrite } from './ledger.types';

let sequence = 0;

/** A number that grows through the run, for names no other test uses. */
export function nextSequence(): number {
  return ++sequence;
}

/** A phone (66XXXXXXXXX) no other test of the run uses. */
export function freshPhone(): string {
  sequence++;
  return `668${String((process.pid * 1000 + sequence) % 100_000_000).padStart(8, '0')}`;
}

export function freshId(label = 'm'): string {
  return `${label}-${randomUUID()}`;
}

export function batchOf(
  recipients: readonly Omit<LedgerRecipientWrite, 'ordinal'>[],
  overrides: Partial<Omit<LedgerMessageBatch, 'recipients'>> = {},
): LedgerMessageBatch {
  return {
    createdAt: new Date(),
    requestId: randomUUID(),
    registration: 'default',
    sender: 'Demo',
    creditType: 'standard',
    tags: [],
    text: { sha256: sha256('hello'), length: 5, encoding: 'GSM-7', parts: 1 },
    ...overrides,
    recipients: recipients.map((row, ordinal) => ({ ...row, ordinal })),
  };
}

export function accepted(phone: string, messageId = freshId()): Omit<LedgerRecipientWrite, 'ordinal'> {
  return { phone, messageId, status: 'accepted', creditsUsed: 1 };
}

export function reportOf(
  messageId: string | undefined,
  status: LedgerReportWrite['status'],
  at: Date,
  extra: Partial<LedgerReportWrite> = {},
): LedgerReportWrite {
  const raw = { message_id: messageId, status, time: at.toISOString(), ...extra.raw };
  return {
    eventKey: sha256(JSON.stringify(raw)),
    messageId,
    status,
    at,
    receivedAt: at,
    raw,
    ...extra,
  };
}

/** A time `days` Bangkok days before now, at noon there. */
export function daysAgo(days: number): Date {
  return new Date(dayStart(addDays(bangkokDay(new Date()), -days)).getTime() + 12 * 3_600_000);
}
