import { estimateMessage, MessageEstimate } from '../message/message-encoding';
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

/** The numbers and the text of a send, as checked. */
interface SendContent {
  readonly given: string[];
  readonly message: string;
  readonly estimate: MessageEstimate;
  readonly sender: string;
}

/** Everything else a send asks for, as checked. */
interface SendSettings {
  readonly creditType: CreditType;
  readonly shortenUrl: boolean;
  readonly scheduledAt?: number;
  readonly callbackUrl?: string;
  readonly callbackMethod: CallbackMethod;
  readonly tags: string[];
}

/** A vendor error name: the field that refused the request. */
type Refusal = string;

/** POST /sms (docs/vendor-api.md, "Send SMS"), after authentication and body parsing. */
export function handleSendSms(
  state: SandboxState,
  fields: BodyFields,
  onAccepted: (batch: AcceptedBatch) => void,
): SandboxResponse {
  const content = readContent(state, fields);
  if (typeof content === 'string') return vendorErrorResponse(content);
  const now = state.now();
  const settings = readSettings(fields, now);
  if (typeof settings === 'string') return vendorErrorResponse(settings);

  const recipients = recipientsOf(content.given, state.options.duplicates);
  if (recipients.accepted.length === 0) return vendorErrorResponse('ERROR_MSISDN');
  const { creditType } = settings;
  const total = content.estimate.creditsPerRecipient * recipients.accepted.length;
  // Checked before anything is charged, so a refused send costs nothing.
  if (state.balances[creditType] < total) return vendorErrorResponse('ERROR_INSUFFICIENT_CREDIT');
  state.balances[creditType] -= total;

  return jsonResponse(201, {
    remaining_credit: state.balances[creditType],
    total_use_credit: total,
    credit_type: creditType,
    phone_number_list: recordMessages(state, content, settings, recipients.accepted, now, onAccepted),
    bad_phone_number_list: recipients.rejected,
  });
}

function readContent(state: SandboxState, fields: BodyFields): SendContent | Refusal {
  const numbers = listField(fields, 'msisdn');
  if (!numbers) return 'ERROR_MSISDN';
  const given = numbers.map((n) => n.trim()).filter((n) => n !== '');
  if (given.length === 0) return 'ERROR_MSISDN';
  if (given.length > MAX_RECIPIENTS_PER_REQUEST) return 'ERROR_MSISDN_EXCEEDED_LIMIT';

  const message = textField(fields, 'message');
  // Blank text is refused like empty text: the client refuses both, and nobody means to send it.
  if (typeof message !== 'string' || message.trim() === '') return 'ERROR_MESSAGE';
  const estimate = estimateMessage(message);
  if (estimate.parts > state.options.maxMessageParts) return 'ERROR_MESSAGE_TOO_LONG';

  const sender = textField(fields, 'sender');
  if (typeof sender !== 'string' || sender.trim() === '' || sender.length > MAX_SENDER_LENGTH) return 'ERROR_SENDER';
  if (!state.options.senders.has(sender)) return 'ERROR_SENDER_NOT_FOUND';
  return { given, message, estimate, sender };
}

/**
 * From here on, a field that is present must be valid even when empty (`force=`): the client
 * refuses those values too, and only leaving a field out asks for its default.
 */
function readSettings(fields: BodyFields, now: number): SendSettings | Refusal {
  const force = textField(fields, 'force');
  // The real API charges standard when force is left out (docs/vendor-api.md, "Send SMS").
  const creditType: CreditType | undefined =
    force === undefined ? 'standard' : force === 'standard' || force === 'corporate' ? force : undefined;
  if (!creditType) return 'ERROR_FORCE';

  const shortenUrl = readBoolean(fields.shorten_url);
  if (shortenUrl === null) return 'ERROR_FORM';

  const scheduledRaw = textField(fields, 'scheduled_delivery');
  if (scheduledRaw === null) return 'ERROR_SCHEDULED_DELIVERY';
  let scheduledAt: number | undefined;
  if (scheduledRaw !== undefined) {
    const check = checkScheduledDelivery(scheduledRaw, now);
    if (!check.ok) return check.error;
    scheduledAt = check.at;
  }

  const callbackUrl = textField(fields, 'callback_url');
  if (callbackUrl === null || (callbackUrl !== undefined && !isHttpUrl(callbackUrl))) return 'ERROR_CALLBACK_URL';
  const methodRaw = textField(fields, 'callback_method');
  if (methodRaw === null || (methodRaw !== undefined && !CALLBACK_METHODS.has(methodRaw)))
    return 'ERROR_CALLBACK_METHOD';
  // A method alone is a mistake the client refuses too: its reports would have nowhere to go.
  if (methodRaw !== undefined && callbackUrl === undefined) return 'ERROR_CALLBACK_URL';

  const tags = readTags(fields);
  if (typeof tags === 'string') return tags;
  return {
    creditType,
    shortenUrl,
    scheduledAt,
    callbackUrl,
    callbackMethod: (methodRaw ?? 'POST') as CallbackMethod,
    tags,
  };
}

function readTags(fields: BodyFields): string[] | Refusal {
  const tags = fields.tag !== undefined ? listField(fields, 'tag') : (listField(fields, 'tags') ?? []);
  if (!tags) return 'ERROR_TAGS';
  const cleanTags = tags.map((t) => t.trim());
  if (cleanTags.some((t) => t === '')) return 'ERROR_TAGS';
  // Measured as given, padding included, as the client measures it.
  if (tags.length > MAX_TAGS || tags.some((t) => t.length > MAX_TAG_LENGTH)) return 'ERROR_TAGS_EXCEEDED_LENGTH';
  return cleanTags;
}

/** Stores one message per accepted number, hands them over for delivery reports, and lists them for the answer. */
function recordMessages(
  state: SandboxState,
  content: SendContent,
  settings: SendSettings,
  accepted: readonly string[],
  now: number,
  onAccepted: (batch: AcceptedBatch) => void,
): { number: string; message_id: string; used_credit: number }[] {
  const { scheduledAt, callbackUrl, callbackMethod } = settings;
  const perRecipient = content.estimate.creditsPerRecipient;
  const scheduledText = scheduledAt === undefined ? undefined : formatBangkokTime(scheduledAt);
  const phoneList = new Array<{ number: string; message_id: string; used_credit: number }>(accepted.length);
  const stored = callbackUrl !== undefined ? new Array<SandboxMessage>(accepted.length) : [];
  for (let i = 0; i < accepted.length; i++) {
    const record: SandboxMessage = {
      messageId: state.ids.next(22),
      phone: accepted[i],
      sender: content.sender,
      message: content.message,
      parts: content.estimate.parts,
      credits: perRecipient,
      creditType: settings.creditType,
      scheduledAt: scheduledText,
      shortenUrl: settings.shortenUrl,
      callbackUrl,
      callbackMethod: callbackUrl !== undefined ? callbackMethod : undefined,
      tags: settings.tags,
      receivedAt: now,
      status: scheduledAt === undefined ? 'accepted' : 'scheduled',
    };
    state.messages.push(record);
    if (callbackUrl !== undefined) stored[i] = record;
    phoneList[i] = { number: accepted[i], message_id: record.messageId, used_credit: perRecipient };
  }
  if (callbackUrl !== undefined) {
    onAccepted({
      messages: stored,
      callbackUrl,
      callbackMethod,
      dueAt: (scheduledAt ?? now) + state.options.deliveryDelayMs,
    });
  }
  return phoneList;
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
