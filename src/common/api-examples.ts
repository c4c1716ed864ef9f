import type { ExamplesObject, OpenAPIObject } from '@nestjs/swagger';

// Request examples of the OpenAPI document. Swagger UI's "Try it out" starts from the first
// example of each operation, so each one must succeed as it stands against the app in sandbox
// mode (test/openapi-examples.e2e-spec.ts sends every one): valid numbers, an approved sender, a
// schedule inside the vendor's window, and no callbackUrl (the sandbox would call it: nothing
// may leave the machine).

const HOUR_MS = 3_600_000;
const BANGKOK_OFFSET_MS = 7 * HOUR_MS;

/** `now + 1 h` written as the vendor wants it: seconds, Bangkok offset. */
export function scheduledExample(nowMs: number): string {
  return `${new Date(nowMs + HOUR_MS + BANGKOK_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** The dedupe key of the queued-alert example; GET /alerts/{id}'s example is the id it gets. */
export const ALERT_DEDUPE_KEY_EXAMPLE = 'storm-warning-0001';
export const ALERT_ID_EXAMPLE = `key-${ALERT_DEDUPE_KEY_EXAMPLE}`;

/** A token shaped like the vendor's (24 letters and digits); only a fresh one from /otp/request verifies. */
export const OTP_TOKEN_EXAMPLE = 'sOEsp1DimQ9TrUBLOnr0RYR1';

export const SMS_EXAMPLES: ExamplesObject = {
  one: { summary: 'One number', value: { to: '0812345678', message: 'Your parcel is on its way.' } },
  several: {
    summary: 'Several numbers, Thai text, a sender and a tag',
    value: {
      to: ['0812345678', '+66898765432'],
      message: 'สวัสดีครับ พัสดุของคุณกำลังจัดส่ง',
      sender: 'Demo',
      tags: ['campaign-42'],
    },
  },
  scheduled: {
    summary: 'Scheduled an hour from now',
    value: { to: '0812345678', message: 'Your appointment is in one hour.', scheduledAt: scheduledExample(Date.now()) },
  },
};

export const ALERT_EXAMPLES: ExamplesObject = {
  alert: {
    summary: 'Three numbers, one of them invalid',
    value: { to: ['0812345678', '0898765432', '0123'], message: 'Storm warning: stay indoors' },
  },
};

export const QUEUED_ALERT_EXAMPLES: ExamplesObject = {
  alert: {
    summary: 'Queued under a dedupe key',
    value: {
      to: ['0812345678', '0898765432', '0123'],
      message: 'Storm warning: stay indoors',
      dedupeKey: ALERT_DEDUPE_KEY_EXAMPLE,
    },
  },
};

export const OTP_REQUEST_EXAMPLES: ExamplesObject = { phone: { value: { phone: '0812345678' } } };

export const OTP_VERIFY_EXAMPLES: ExamplesObject = {
  verify: {
    summary: 'The token from /otp/request and the PIN the user typed',
    description: 'Replace the token with the one /otp/request answered (in sandbox mode the PIN is in the inbox).',
    value: { token: OTP_TOKEN_EXAMPLE, pin: '123456' },
  },
};

export const DELIVERY_REPORT_EXAMPLES: ExamplesObject = {
  delivered: {
    summary: 'A delivered message',
    value: { message_id: 'rmWK3GbWDT5pFkzEJ5Cz8m', msisdn: '66812345678', status: 'delivered' },
  },
};

/**
 * The document as served: the schedule examples moved to an hour after `nowMs`, so "Try it out"
 * never proposes a time in the past or a year ahead, however long the app has been running.
 */
export function withFreshExamples(document: OpenAPIObject, nowMs: number): OpenAPIObject {
  const fresh = structuredClone(document);
  const scheduledAt = scheduledExample(nowMs);
  for (const operations of Object.values(fresh.paths)) {
    for (const operation of Object.values(operations as Record<string, unknown>)) {
      const content = (operation as { requestBody?: { content?: Record<string, { examples?: ExamplesObject }> } })
        ?.requestBody?.content;
      for (const media of Object.values(content ?? {})) {
        for (const example of Object.values(media.examples ?? {})) {
          const value = (example as { value?: unknown }).value;
          if (value && typeof value === 'object' && 'scheduledAt' in value)
            (value as { scheduledAt: string }).scheduledAt = scheduledAt;
        }
      }
    }
  }
  return fresh;
}
