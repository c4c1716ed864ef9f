import { estimateMessage } from '../message/message-encoding';
import { INVALID_PHONE_REASON, parseThaiMobile } from '../phone/thai-phone';
// The same limits the client checks locally, so both sides refuse the same requests.
import {
  CreditType,
  MAX_RECIPIENTS_PER_REQUEST,
  MAX_SENDER_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS,
} from '../message/vendor-limits';
import { BodyFields, listField, textField } from './request-body.parser';
import { jsonResponse, SandboxResponse, vendorErrorResponse } from './sandbox.response';
import { SandboxState } from './sandbox.state';
import { SandboxMessage } from './sandbox.types';
import { checkScheduledDelivery, formatBangkokTime } from './scheduled-delivery';

export type CallbackMethod = 'GET' | 'POST' | 'PUT';

/** Messages accepted by one request that asked for delivery reports. */
export interface AcceptedBatch {
  readonly messages: readonly SandboxMessage[];
  readonly callbackUrl: string;
  readonly callbackMethod: CallbackMethod;
  /** When the report is due (sandbox clock): send time or scheduled time, plus the delay. */
  readonly dueAt: number;
}

const CALLBACK_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT']);

interface Recipients {
  readonly accepted: string[];
  readonly rejected: { number: string; message: string }[];
}

/** POST /sms (docs/vendor-api.md, "Send SMS"), after authentication and body parsing. */
export function handleSendSms(
  state: SandboxState,
  fields: BodyFields,
  onAccepted: (batch: AcceptedBatch) => void,
): SandboxResponse {
  const numbers = listField(fields, 'msisdn');
  if (!numbers) return vendorErrorResponse('ERROR_MSISDN');
  const given = numbers.map((n) => n.trim()).filter((n) => n !== '');
  if (given.length === 0) return vendorErrorResponse('ERROR_MSISDN');
  if (given.length > MAX_RECIPIENTS_PER_REQUEST) return vendorErrorResponse('ERROR_MSISDN_EXCEEDED_LIMIT');

  const message = textField(fields, 'message');
  // Blank text is refused like empty text: the client refuses both, and nobody means to send it.
  if (typeof message !== 'string' || message.trim() === '') return vendorErrorResponse('ERROR_MESSAGE');
  const estimate = estimateMessage(message);
  if (estimate.parts > state.options.maxMessageParts) return vendorErrorResponse('ERROR_MESSAGE_TOO_LONG');

  const sender = textField(fields, 'sender');
  if (typeof sender !== 'string' || sender.trim() === '' || sender.length > MAX_SENDER_LENGTH)
    return vendorErrorResponse('ERROR_SENDER');
  if (!state.options.senders.has(sender)) return vendorErrorResponse('ERROR_SENDER_NOT_FOUND');

  // From here on, a field that is present must be valid even when empty (`force=`): the client
  // refuses those values too, and only leaving a field out asks for its default.
  const force = textField(fields, 'force');
  // The real API charges standard when force is left out (docs/vendor-api.md, "Send SMS").
  const creditType: CreditType | undefined =
    force === undefined ? 'standard' : force === 'standard' || force === 'corporate' ? force : undefined;
  if (!creditType) return vendorErrorResponse('ERROR_FORCE');

  const shortenUrl = readBoolean(fields.shorten_url);
  if (shortenUrl === null) return vendorErrorResponse('ERROR_FORM');

  const now = state.now();
  const scheduledRaw = textField(fields, 'scheduled_delivery');
  if (scheduledRaw === null) return vendorErrorResponse('ERROR_SCHEDULED_DELIVERY');
  let scheduledAt: number | undefined;
  if (scheduledRaw !== undefined) {
    const check = checkScheduledDelivery(scheduledRaw, now);
    if (!check.ok) return vendorErrorResponse(check.error);
    scheduledAt = check.at;
  }

  const callbackUrl = textField(fields, 'callback_url');
  if (callbackUrl === null || (callbackUrl !== undefined && !isHttpUrl(callbackUrl)))
    return vendorErrorResponse('ERROR_CALLBACK_URL');
  const methodRaw = textField(fields, 'callback_method');
  if (methodRaw === null || (methodRaw !== undefined && !CALLBACK_METHODS.has(methodRaw)))
    return vendorErrorResponse('ERROR_CALLBACK_METHOD');
  // A method alone is a mistake the client refuses too: its reports would have nowhere to go.
  if (methodRaw !== undefined && callbackUrl === undefined) return vendorErrorResponse('ERROR_CALLBACK_URL');
  const callbackMethod = (methodRaw ?? 'POST') as CallbackMethod;

  const tags = fields.tag !== undefined ? listField(fields, 'tag') : (listField(fields, 'tags') ?? []);
  if (!tags) return vendorErrorResponse('ERROR_TAGS');
  const cleanTags = tags.map((t) => t.trim());
  if (cleanTags.some((t) => t === '')) return vendorErrorResponse('ERROR_TAGS');
  // Measured as given, padding included, as the client measures it.
  if (tags.length > MAX_TAGS || tags.some((t) => t.length > MAX_TAG_LENGTH)) {
    return vendorErrorResponse('ERROR_TAGS_EXCEEDED_LENGTH');
  }

  const recipients = recipientsOf(given, state.options.duplicates);
  if (recipients.accepted.length === 0) return vendorErrorResponse('ERROR_MSISDN');

  const perRecipient = estimate.creditsPerRecipient;
  const total = perRecipient * recipients.accepted.length;
  // Checked before anything is charged, so a refused send costs nothing.
  if (state.balances[creditType] < total) return vendorErrorResponse('ERROR_INSUFFICIENT_CREDIT');
  state.balances[creditType] -= total;

  const scheduledText = scheduledAt === undefined ? undefined : formatBangkokTime(scheduledAt);
  const hasCallback = callbackUrl !== undefined;
  const phoneList = new Array<{ number: string; message_id: string; used_credit: number }>(recipients.accepted.length);
  const stored = hasCallback ? new Array<SandboxMessage>(recipients.accepted.length) : [];
  for (let i = 0; i < recipients.accepted.length; i++) {
    const phone = recipients.accepted[i];
    const record: SandboxMessage = {
      messageId: state.ids.next(22),
      phone,
      sender,
      message,
      parts: estimate.parts,
      credits: perRecipient,
      creditType,
      scheduledAt: scheduledText,
      shortenUrl,
      callbackUrl: hasCallback ? callbackUrl : undefined,
      callbackMethod: hasCallback ? callbackMethod : undefined,
      tags: cleanTags,
      receivedAt: now,
      status: scheduledAt === undefined ? 'accepted' : 'scheduled',
    };
    state.messages.push(record);
    if (hasCallback) stored[i] = record;
    phoneList[i] = { number: phone, message_id: record.messageId, used_credit: perRecipient };
  }
  if (hasCallback) {
    onAccepted({
      messages: stored,
      callbackUrl,
      callbackMethod,
      dueAt: (scheduledAt ?? now) + state.options.deliveryDelayMs,
    });
  }

  return jsonResponse(201, {
    remaining_credit: state.balances[creditType],
    total_use_credit: total,
    credit_type: creditType,
    phone_number_list: phoneList,
    bad_phone_number_list: recipients.rejected,
  });
}

function recipientsOf(given: readonly string[], duplicates: 'once' | 'each'): Recipients {
  const accepted: string[] = [];
  const rejected: { number: string; message: string }[] = [];
  const seen = duplicates === 'once' ? new Set<string>() : undefined;
  for (const number of given) {
    const parsed = parseThaiMobile(number);
    if (!parsed.valid) {
      rejected.push({ number, message: INVALID_PHONE_REASON });
      continue;
    }
    if (seen) {
      if (seen.has(parsed.msisdn)) continue;
      seen.add(parsed.msisdn);
    }
    accepted.push(parsed.msisdn);
  }
  return { accepted, rejected };
}

/** `"true"`/`"false"` as the vendor documents, or a JSON boolean; absent means false. */
function readBoolean(value: unknown): boolean | null {
  if (value === undefined || value === null) return false;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return null;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
