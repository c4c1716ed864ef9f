import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ThaiBulkSmsClock } from '../client/clock';
import { ThaiBulkSmsClient } from '../client/thai-bulk-sms.client';
import { localVendorError } from '../errors';
import { estimateMessage } from '../message';
import {
  THAI_BULK_SMS_REGISTRATION_COMPLIANCE,
  THAI_BULK_SMS_REGISTRATION_NAME,
  THAI_BULK_SMS_RESOLVED_OPTIONS,
} from '../thai-bulk-sms.tokens';
import { CreditType, ResolvedThaiBulkSmsOptions } from '../thai-bulk-sms.options';
import { BulkObservations } from './bulk-observations';
import { BulkSender } from './bulk-sender';
import { CreditService } from './credit.service';
import {
  bulkRecipientSource,
  countDistinctValid,
  NO_VALID_NUMBER_MESSAGE,
  recipientEntries,
  validateRecipients,
} from './recipients';
import { prepareSend } from './send-fields.validator';
import { toSendSmsResult } from '../client/sms-result.mapper';
import {
  BulkSendOptions,
  BulkSendResult,
  CreditBalance,
  SendSmsOptions,
  SendSmsResult,
  SmsEstimate,
} from './sms.types';
import { loggerFor } from '../thai-bulk-sms.logger';
import { VendorSmsResponse } from '../client/vendor-sms-response';
import { ThaiBulkSmsError } from '../errors';
import { checkForLater, screenRecipients } from '../compliance/compliance-hooks';
import { MessageCategory, messageCategoryOf } from '../compliance/message-category';
import { RecipientScreen, ThaiBulkSmsCompliancePolicy } from '../compliance/thai-bulk-sms-compliance.policy';
import { ObserverDispatcher } from '../observers/observer-dispatcher';
import { ThaiBulkSmsInstrumentation } from '../instrumentation/thai-bulk-sms.instrumentation';
import { observedSend, smsRequestObserved } from './sms-request.observed';
import { RejectedRecipient, SendValidation, ValidateOptions } from './sms.types';
import { PreparedSend } from './send-fields.validator';
import { Msisdn } from '../phone';

/**
 * Sending SMS through one registration. Every check the vendor would make on the request is made
 * here first, with the vendor's error names, so a mistake costs neither a request nor credit.
 */
@Injectable()
export class SmsService {
  private readonly logger: Logger;

  constructor(
    @Inject(THAI_BULK_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedThaiBulkSmsOptions,
    @Inject(ThaiBulkSmsClient) private readonly client: ThaiBulkSmsClient,
    @Inject(ThaiBulkSmsClock) private readonly clock: ThaiBulkSmsClock,
    @Inject(CreditService) private readonly credit: CreditService,
    @Inject(THAI_BULK_SMS_REGISTRATION_NAME) private readonly registration: string,
    @Inject(ObserverDispatcher) private readonly observers: ObserverDispatcher,
    @Inject(THAI_BULK_SMS_REGISTRATION_COMPLIANCE) private readonly compliance: ThaiBulkSmsCompliancePolicy,
    @Optional()
    @Inject(ThaiBulkSmsInstrumentation)
    private readonly instrumentation?: ThaiBulkSmsInstrumentation,
  ) {
    this.logger = loggerFor(registration);
  }

  /**
   * Checks a send's fields (message, parts against `maxMessageParts`, sender, schedule, creditType,
   * callback, tags, category and the compliance rules) as `send` does, without sending and without
   * looking at `to`; throws the same typed errors. For a send that happens later, elsewhere:
   * ThaiBulkSmsQueue checks with it before queueing, so a message the worker would refuse is
   * refused at once. With `deferOutsideHours`, a marketing send outside the marketing hours is not
   * refused: `waitMs` says how long to wait for the next opening.
   */
  validate(input: Omit<SendSmsOptions, 'to'>, options: ValidateOptions = {}): SendValidation {
    const now = this.clock.now();
    const context = { nowMs: now + (options.inMs ?? 0), registration: this.registration, dryRun: true };
    const category = messageCategoryOf(input?.category);
    const defer = options.deferOutsideHours === true;
    const { checked, opensAt } = checkForLater(this.compliance, input, category, context, defer);
    prepareSend(checked, this.options, now);
    return opensAt === undefined ? {} : { waitMs: opensAt - now };
  }

  /**
   * One request of at most 500 numbers. Invalid numbers come back in `rejected` and the rest are
   * sent; duplicates are sent once. Never resent on its own once it may have reached the API.
   */
  async send(input: SendSmsOptions): Promise<SendSmsResult> {
    const recipients = validateRecipients(input?.to);
    const now = this.clock.now();
    const category = messageCategoryOf(input.category);
    const checked = this.compliance.checkSend(input, category, {
      nowMs: now,
      registration: this.registration,
      recipients: recipients.msisdns,
    });
    const screen = this.compliance.recipientScreen(category);
    // The form is built with msisdn in place, never copied as `{ ...form, msisdn }`: such copies
    // slow every send (bench/RESULTS.md, "Fix made: client overhead").
    const prepared = screen
      ? await this.prepareScreened(checked, now, recipients, screen)
      : { ...prepareSend(checked, this.options, now, recipients.msisdns.join(',')), ...recipients };
    const { form, msisdns, rejected } = prepared;
    if (rejected.length) this.logger.debug(`${rejected.length} recipient(s) refused locally (invalid or opted out)`);
    const creditType = form.force as CreditType;
    const sentAt = this.clock.now();
    let response: VendorSmsResponse;
    try {
      response = await this.client.sendSms(form, input.signal);
    } catch (error) {
      await this.observeRequest(prepared, sentAt, msisdns, rejected, undefined, error);
      throw error;
    }
    await this.observeRequest(prepared, sentAt, msisdns, rejected, response, undefined);
    return toSendSmsResult(response, rejected, creditType);
  }

  /** prepareSend, then the opt-out list: opted-out numbers join the rejected ones, last in the form. */
  private async prepareScreened(
    checked: SendSmsOptions,
    now: number,
    recipients: { msisdns: Msisdn[]; rejected: RejectedRecipient[] },
    screen: RecipientScreen,
  ): Promise<PreparedSend & { msisdns: readonly Msisdn[]; rejected: readonly RejectedRecipient[] }> {
    const prepared = prepareSend(checked, this.options, now);
    const { msisdns, rejected } = await screenRecipients(screen, recipients.msisdns, recipients.rejected);
    (prepared.form as Record<string, string>).msisdn = msisdns.join(',');
    return { ...prepared, msisdns, rejected };
  }

  /**
   * Any number of recipients, read lazily (an async iterable is never held in memory whole),
   * sent in chunks of 500 within the rate limit and `maxConcurrency`. Failed chunks are reported
   * in `failedChunks` with their numbers; they are not retried (they may have gone out). A chunk
   * whose answer accounts for only some of its numbers counts those, and reports the rest as a
   * failed chunk (ThaiBulkSmsUnconfirmedSendError). Input without a single valid number is
   * refused with ERROR_MSISDN once it has been read, as `send` refuses it: nothing was sent.
   */
  async sendBulk(input: BulkSendOptions): Promise<BulkSendResult> {
    const recipients = bulkRecipientSource(input?.to);
    const now = this.clock.now();
    const category = messageCategoryOf(input.category);
    const checked = this.compliance.checkSend(input, category, { nowMs: now, registration: this.registration });
    const prepared = prepareSend(checked, this.options, now);
    // Observers of a chunk run while the next chunks are sent; sendBulk resolves after all of them.
    const observations = new BulkObservations(this.options.maxConcurrency);
    const sender = new BulkSender({
      recipients,
      maxConcurrency: this.options.maxConcurrency,
      dedupe: input.dedupe ?? 'chunk',
      summaryOnly: input.summaryOnly === true,
      signal: input.signal,
      onProgress: input.onProgress,
      onProgressError: (error) =>
        this.logger.warn(`onProgress threw: ${error instanceof Error ? error.message : String(error)}`),
      screen: this.compliance.recipientScreen(category),
      sendChunk: (msisdns, signal, localRejects) =>
        this.sendChunk(prepared, msisdns, signal, localRejects, observations),
    });
    const run = async () => {
      try {
        return await sender.execute();
      } finally {
        await observations.settled();
      }
    };
    // With instrumentation the chunks' requests are traced as children of the bulk send.
    const result = await (this.instrumentation ? this.instrumentation.bulkSend(this.registration, run) : run());
    if (result.chunks === 0 && !result.aborted) throw localVendorError('ERROR_MSISDN', NO_VALID_NUMBER_MESSAGE);
    this.logger.debug(
      `bulk send: ${result.chunks} chunk(s), ${result.acceptedCount} accepted, ${result.rejectedCount} rejected, ${result.failedChunks.length} failed chunk(s)`,
    );
    return result;
  }

  private async sendChunk(
    prepared: PreparedSend,
    msisdns: readonly string[],
    signal: AbortSignal | undefined,
    localRejects: readonly RejectedRecipient[],
    observations: BulkObservations,
  ): Promise<VendorSmsResponse> {
    const sentAt = this.clock.now();
    let response: VendorSmsResponse;
    try {
      // Object.assign, not `{ ...form, msisdn }`, for the reason given in `send`.
      response = await this.client.sendSms(Object.assign({}, prepared.form, { msisdn: msisdns.join(',') }), signal);
    } catch (error) {
      await this.observeRequest(prepared, sentAt, msisdns, localRejects, undefined, error);
      throw error;
    }
    const observed = this.observeRequest(prepared, sentAt, msisdns, localRejects, response, undefined);
    if (observed) await observations.add(observed);
    return response;
  }

  /** Tells the observers about one request; resolves when they are done (never rejects). */
  private observeRequest(
    prepared: PreparedSend,
    sentAt: number,
    msisdns: readonly string[],
    localRejects: readonly RejectedRecipient[],
    response: VendorSmsResponse | undefined,
    error: unknown,
  ): Promise<void> | undefined {
    // Programming errors are not vendor exchanges; they propagate unobserved.
    if (!response && !(error instanceof ThaiBulkSmsError)) return undefined;
    return this.observers.notify('onSmsRequest', () =>
      smsRequestObserved({
        registration: this.registration,
        at: new Date(sentAt),
        send: observedSend(prepared),
        msisdns,
        localRejects,
        response,
        error: error as ThaiBulkSmsError | undefined,
      }),
    );
  }

  /**
   * Encoding, parts and credits of a message, without any request. `recipients` is a count, or
   * the `to` of a send (a number, comma-joined numbers or a list): then only its distinct valid
   * numbers are counted, since those are all `send` charges for (duplicates go once, invalid
   * numbers not at all).
   */
  estimate(
    message: string,
    recipients: number | string | readonly unknown[] = 1,
    options: { readonly category?: MessageCategory } = {},
  ): SmsEstimate {
    const text =
      typeof message === 'string' ? this.compliance.messageFor(message, messageCategoryOf(options.category)) : '';
    const estimate = estimateMessage(text);
    const count =
      typeof recipients === 'number'
        ? Number.isFinite(recipients)
          ? Math.max(0, Math.floor(recipients))
          : 0
        : countDistinctValid(recipientEntries(recipients));
    return { ...estimate, recipients: count, totalCredits: estimate.creditsPerRecipient * count };
  }

  /** Same as CreditService.getCredit. */
  getCredit(options: { signal?: AbortSignal } = {}): Promise<CreditBalance> {
    return this.credit.getCredit(options);
  }
}
