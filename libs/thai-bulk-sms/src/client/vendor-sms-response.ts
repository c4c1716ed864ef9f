import { ThaiBulkSmsUnconfirmedSendError } from '../errors';
import { toMsisdn } from '../phone';
import { acceptedOf, rejectedOf } from './sms-result.mapper';
import { envelopeError, expectSuccessObject, isObject } from './vendor-response.mapper';
import { TransportResponse } from '../transport/thai-bulk-sms.transport';
import { VendorText } from './vendor-text';

/** The vendor's success body of POST /sms, checked against what was sent but kept snake_case. */
export interface VendorSmsResponse {
  readonly remaining_credit: number;
  readonly total_use_credit: number;
  /** `''` when the answer named no pool (the one asked for was charged). */
  readonly credit_type: string;
  readonly phone_number_list: readonly {
    readonly number: string;
    readonly message_id: string;
    readonly used_credit: number;
  }[];
  readonly bad_phone_number_list: readonly { readonly number: string; readonly message?: string }[];
}

/** A message id is at most this long (the vendor's are 22 letters and digits)... */
const MAX_MESSAGE_ID_LENGTH = 128;
/** ...and printable ASCII without spaces: this finds a character that is not. */
const NOT_IN_MESSAGE_ID = /[^\x21-\x7e]/;
const COMMA = 0x2c;
const isMessageId = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length > 0 &&
  value.length <= MAX_MESSAGE_ID_LENGTH &&
  !NOT_IN_MESSAGE_ID.test(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * The answer to a send of `sent` (the comma-joined msisdn of the form), reconciled with it. A
 * non-2xx answer throws the typed error it stands for. A 2xx answer is trusted only as far as it
 * accounts for what was sent: every number sent must be in exactly one of the two lists, and the
 * answer must have the documented types (nothing is coerced: `"abc"` is not 0). Otherwise it
 * throws ThaiBulkSmsUnconfirmedSendError (`ERROR_UPSTREAM_BAD_RESPONSE`, the request may have
 * arrived) with the numbers the answer leaves unexplained and what it did confirm; an answer
 * that is wrong as a whole (not JSON, wrong types, a number never sent) confirms nothing.
 *
 * The lists are not copied when they are right (the bulk path reads 500 entries per chunk).
 */
export function readSmsResponse(response: TransportResponse, sent: string, text: VendorText): VendorSmsResponse {
  const { status } = response;
  if (status < 200 || status >= 300) expectSuccessObject(response, text);
  const nothingConfirmed = (problem: string) =>
    new ThaiBulkSmsUnconfirmedSendError({ upstreamStatus: status, problem, unconfirmed: sent.split(',') });
  const body = readSuccessBody(response, text, nothingConfirmed);
  const ledger = checkAccepted(body.accepted, body.rejected.length === 0, sent, nothingConfirmed);
  // Rebuilt: each reason is the vendor's text, bounded and scrubbed before anyone shows it.
  const badList: { number: string; message?: string }[] = [];
  for (const item of body.rejected) {
    if (!isObject(item) || !ledger?.explain(item.number))
      throw nothingConfirmed('and a rejected entry for a number not sent (or twice)');
    badList.push({ number: item.number as string, message: text(item.message) });
  }
  const answer: VendorSmsResponse = {
    remaining_credit: body.remainingCredit,
    total_use_credit: body.totalUseCredit,
    credit_type: body.creditType ?? '',
    phone_number_list: body.accepted as VendorSmsResponse['phone_number_list'],
    bad_phone_number_list: badList,
  };
  const unconfirmed = ledger?.unexplained() ?? [];
  if (unconfirmed.length > 0) {
    throw new ThaiBulkSmsUnconfirmedSendError({
      upstreamStatus: status,
      problem: `without ${unconfirmed.length} of the ${ledger!.size} numbers sent in either list`,
      unconfirmed,
      accepted: acceptedOf(answer),
      rejected: rejectedOf(answer),
    });
  }
  return answer;
}

type Refusal = (problem: string) => Error;

/** The totals and lists of a 2xx body, of the documented types, or the refusal of the whole answer. */
function readSuccessBody(response: TransportResponse, text: VendorText, refuse: Refusal) {
  if (!response.json) throw refuse('and a body that is not JSON');
  const body = response.body;
  if (!isObject(body)) throw refuse('and a body that is not an object');
  if (envelopeError(response, text)) throw refuse('and an error body');
  const { remaining_credit, total_use_credit, credit_type } = body;
  if (typeof remaining_credit !== 'number' || !Number.isFinite(remaining_credit))
    throw refuse('and a remaining_credit that is not a number');
  if (!isCount(total_use_credit)) throw refuse('and a total_use_credit that is not a number');
  if (credit_type !== undefined && typeof credit_type !== 'string')
    throw refuse('and a credit_type that is not a string');
  const accepted = body.phone_number_list ?? [];
  const rejected = body.bad_phone_number_list ?? [];
  if (!Array.isArray(accepted) || !Array.isArray(rejected)) throw refuse('and phone lists that are not lists');
  return {
    remainingCredit: remaining_credit,
    totalUseCredit: total_use_credit,
    creditType: credit_type,
    accepted: accepted as unknown[],
    rejected: rejected as unknown[],
  };
}

/**
 * Checks the accepted entries' types. The usual answer lists every number sent, as sent and in
 * that order, and nothing else: that is checked on the way against the msisdn string itself, and
 * then there is nothing left to explain (undefined). Any other answer gets a ledger, with the
 * accepted numbers explained in it.
 */
function checkAccepted(
  accepted: readonly unknown[],
  noRejections: boolean,
  sent: string,
  refuse: Refusal,
): SentNumbers | undefined {
  let inOrder = noRejections;
  let at = 0;
  for (const item of accepted) {
    if (!isObject(item) || !isMessageId(item.message_id))
      throw refuse('and an accepted entry without a readable message_id');
    if (!isCount(item.used_credit)) throw refuse('and an accepted entry whose used_credit is not a number');
    const number = item.number;
    if (typeof number !== 'string') throw refuse('and an accepted entry without a number');
    if (inOrder) {
      const end = at + number.length;
      // A miss ends the in-order check, so indexOf scans past `at` at most once per answer.
      inOrder =
        number !== '' &&
        !number.includes(',') &&
        sent.indexOf(number, at) === at &&
        (end === sent.length || sent.charCodeAt(end) === COMMA);
      at = end + 1;
    }
  }
  if (inOrder && at === sent.length + 1) return undefined;
  const ledger = new SentNumbers(sent.split(','));
  for (const item of accepted as Record<string, unknown>[])
    if (!ledger.explain(item.number)) throw refuse('and an accepted entry for a number not sent (or twice)');
  return ledger;
}

/**
 * The numbers of one send, each to be explained once by the answer. The vendor answers in the
 * form it was sent (`66XXXXXXXXX`), so a number is looked up as it came first and normalised
 * only when that misses.
 */
class SentNumbers {
  private readonly pending = new Map<string, string>();
  private normalised?: Map<string, string>;

  constructor(private readonly numbers: readonly string[]) {
    for (const number of numbers) this.pending.set(number, number);
  }

  /** How many numbers were sent. */
  get size(): number {
    return this.numbers.length;
  }

  /** True when `number` is a sent number not yet explained; it is explained from now on. */
  explain(number: unknown): boolean {
    if (typeof number !== 'string') return false;
    if (this.pending.delete(number)) return true;
    const key = toMsisdn(number);
    if (key === undefined) return false;
    const sent = this.byMsisdn().get(key);
    return sent !== undefined && this.pending.delete(sent);
  }

  /** Sent numbers nothing explained, in the order sent. */
  unexplained(): string[] {
    return this.pending.size === 0 ? [] : this.numbers.filter((number) => this.pending.has(number));
  }

  private byMsisdn(): Map<string, string> {
    if (!this.normalised) {
      this.normalised = new Map();
      for (const number of this.numbers) this.normalised.set(toMsisdn(number) ?? number, number);
    }
    return this.normalised;
  }
}
