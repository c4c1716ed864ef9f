import { rowCount, withoutPhone } from './ledger.packed-batch';
import { LedgerWrite } from './ledger.types';

/** What the writer needs to know of a write: its size, its name in a log line, its phones, and whether a refusal is final. */

/** How many rows a write holds, for the buffer's bound. */
export function rowsOf(write: LedgerWrite): number {
  return write.kind === 'messages' ? rowCount(write.batch) : 1;
}

/** The message ids of a write, for the log line of a write that overflowed (never phones or text). */
export function idsOf(write: LedgerWrite): string {
  if (write.kind === 'messages') {
    const ids = write.batch.recipients.map((row) => row.messageId ?? `(no id: ${row.status})`);
    return `message ids ${ids.join(',')}`;
  }
  if (write.kind === 'report') return `a delivery report for message id ${write.report.messageId ?? '(none)'}`;
  return write.kind === 'otp-request' ? 'an OTP request' : 'an OTP verify';
}

/** The phone a write is about, so an erasure can drop it from the buffer too. */
export function phonesOf(write: LedgerWrite): readonly string[] {
  if (write.kind === 'messages') return write.batch.recipients.map((row) => row.phone);
  if (write.kind === 'report') return write.report.phone ? [write.report.phone] : [];
  return write.kind === 'otp-request' ? [write.otp.phone] : [];
}

/**
 * A write the database refused for what it holds (SQLSTATE class 22 data exception, 23 integrity
 * violation, 42 syntax or undefined object): writing it again would fail again and hold up every
 * write behind it, so it is dropped, logged and counted instead of buffered.
 */
export function isRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(22|23|42)[0-9A-Z]{3}$/.test(code);
}

/**
 * Drops a number's rows from buffered writes, in place (an erasure): how many message and OTP
 * rows went, and how many buffered rows that is in all.
 */
export function forgetInBuffer(
  buffer: LedgerWrite[],
  msisdn: string,
): { messages: number; otps: number; rows: number } {
  let messages = 0;
  let otps = 0;
  let rows = 0;
  for (let i = buffer.length - 1; i >= 0; i--) {
    const write = buffer[i];
    if (write.kind === 'messages') {
      const kept = withoutPhone(write.batch, msisdn);
      if (kept === write.batch) continue;
      const gone = rowCount(write.batch) - (kept ? rowCount(kept) : 0);
      messages += gone;
      rows += gone;
      if (kept) buffer[i] = { kind: 'messages', batch: kept };
      else buffer.splice(i, 1);
    } else if (phonesOf(write).includes(msisdn)) {
      if (write.kind === 'otp-request') otps++;
      rows += rowsOf(write);
      buffer.splice(i, 1);
    }
  }
  return { messages, otps, rows };
}

/** The error's code or kind for a log line: never its message (it may quote the rows). */
export function describe(error: unknown): string {
  if (error instanceof Error) return (error as { code?: string }).code ?? error.name;
  return typeof error;
}
