import { MessageCategory, messageCategoryOf } from '../compliance/message-category';
import { localVendorError } from '../errors';
import { estimateMessage, MessageEstimate } from '../message';
import { MAX_SENDER_LENGTH, MAX_TAG_LENGTH, MAX_TAGS } from '../thai-bulk-sms.constants';
import { CreditType, ResolvedThaiBulkSmsOptions } from '../thai-bulk-sms.options';
import { toBangkokSchedule } from '../message/scheduled-delivery';
import { SendSmsOptions } from './sms.types';

export interface PreparedSend {
  /** Every form field but `msisdn` (unless given), shared by all chunks of a bulk send. */
  readonly form: Readonly<Record<string, string>>;
  readonly estimate: MessageEstimate;
  readonly category: MessageCategory;
  /** The caller's `reference`, for observers; not a form field. */
  readonly reference: string | undefined;
}

export const MAX_REFERENCE_LENGTH = 200;

const CALLBACK_METHODS = new Set(['GET', 'POST', 'PUT']);

/**
 * Checks everything but the recipients, with the vendor's error names, so a mistake costs no
 * request and no credit. Returns the form fields in the vendor's spelling; with `msisdn` (one
 * send's comma-joined numbers) the form holds it too, last, so the caller need not copy the form
 * to add it.
 */
export function prepareSend(
  input: Omit<SendSmsOptions, 'to'>,
  options: ResolvedThaiBulkSmsOptions,
  nowMs: number,
  msisdn?: string,
): PreparedSend {
  const { message } = input;
  const category = messageCategoryOf(input.category);
  if (typeof message !== 'string' || message.trim() === '')
    throw localVendorError('ERROR_MESSAGE', 'message must be a non-empty string.');
  const estimate = estimateMessage(message);
  if (estimate.parts > options.maxMessageParts) {
    throw localVendorError(
      'ERROR_MESSAGE_TOO_LONG',
      `message needs ${estimate.parts} SMS parts; at most ${options.maxMessageParts} are allowed (${estimate.encoding}).`,
    );
  }

  const sender = input.sender ?? options.defaultSender;
  if (typeof sender !== 'string' || sender.trim() === '' || sender.length > MAX_SENDER_LENGTH) {
    throw localVendorError(
      'ERROR_SENDER',
      `sender must be an approved sender name of 1 to ${MAX_SENDER_LENGTH} characters.`,
    );
  }
  const form: Record<string, string> = { message, sender, force: creditTypeOf(input, options) };
  if (input.scheduledAt !== undefined && input.scheduledAt !== null) {
    form.scheduled_delivery = toBangkokSchedule(input.scheduledAt, nowMs);
  }
  if (input.shortenUrl !== undefined) {
    if (typeof input.shortenUrl !== 'boolean') throw localVendorError('ERROR_FORM', 'shortenUrl must be a boolean.');
    form.shorten_url = String(input.shortenUrl);
  }
  if (input.callbackUrl !== undefined) form.callback_url = checkCallbackUrl(input.callbackUrl);
  if (input.callbackMethod !== undefined) {
    const method = typeof input.callbackMethod === 'string' ? input.callbackMethod.toUpperCase() : '';
    if (!CALLBACK_METHODS.has(method))
      throw localVendorError('ERROR_CALLBACK_METHOD', 'callbackMethod must be GET, POST or PUT.');
    if (input.callbackUrl === undefined)
      throw localVendorError('ERROR_CALLBACK_URL', 'callbackMethod needs a callbackUrl.');
    form.callback_method = method;
  }
  if (input.tags !== undefined) {
    const tags = checkTags(input.tags);
    if (tags) form.tag = tags;
  }
  const reference = input.reference;
  if (
    reference !== undefined &&
    (typeof reference !== 'string' || reference === '' || reference.length > MAX_REFERENCE_LENGTH)
  )
    throw localVendorError('ERROR_FORM', `reference must be a string of 1 to ${MAX_REFERENCE_LENGTH} characters.`);
  if (msisdn !== undefined) form.msisdn = msisdn;
  return { form, estimate, category, reference };
}

/** The send's credit pool, or the registration's default; the form names it `force`. */
function creditTypeOf(input: Omit<SendSmsOptions, 'to'>, options: ResolvedThaiBulkSmsOptions): CreditType {
  // `force` is the pool's name on the wire (the vendor's form, the DTOs' HTTP bodies); dropped
  // silently here it would send on the default pool.
  if ('force' in input)
    throw localVendorError('ERROR_FORCE', 'force is the HTTP field; SmsService takes the pool as creditType.');
  const creditType = input.creditType ?? options.defaultCreditType;
  if (creditType !== 'standard' && creditType !== 'corporate')
    throw localVendorError('ERROR_FORCE', "creditType must be 'standard' or 'corporate'.");
  return creditType;
}

function checkCallbackUrl(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw localVendorError('ERROR_CALLBACK_URL', 'callbackUrl must be an absolute http or https URL.');
  }
  return value as string;
}

/** Tags travel comma-joined in one `tag` field, so a tag cannot hold a comma itself. */
function checkTags(value: unknown): string {
  if (!Array.isArray(value)) throw localVendorError('ERROR_TAGS', 'tags must be an array of strings.');
  for (const tag of value) {
    if (typeof tag !== 'string' || tag.trim() === '' || tag.includes(',')) {
      throw localVendorError('ERROR_TAGS', 'each tag must be a non-empty string without commas.');
    }
  }
  if (value.length > MAX_TAGS || value.some((tag: string) => tag.length > MAX_TAG_LENGTH)) {
    throw localVendorError(
      'ERROR_TAGS_EXCEEDED_LENGTH',
      `at most ${MAX_TAGS} tags of at most ${MAX_TAG_LENGTH} characters each.`,
    );
  }
  return value.map((tag: string) => tag.trim()).join(',');
}
