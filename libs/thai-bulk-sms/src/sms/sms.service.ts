import { Inject, Injectable, Logger } from '@nestjs/common';
import { ThaiBulkSmsClock } from '../client/clock';
import { ThaiBulkSmsClient } from '../client/thai-bulk-sms.client';
import { estimateMessage } from '../message';
import { THAI_BULK_SMS_REGISTRATION_NAME, THAI_BULK_SMS_RESOLVED_OPTIONS } from '../thai-bulk-sms.tokens';
import { CreditType, ResolvedThaiBulkSmsOptions } from '../thai-bulk-sms.options';
import { BulkSender } from './bulk-sender';
import { CreditService } from './credit.service';
import { bulkRecipientSource, countDistinctValid, recipientEntries, sortRecipients } from './recipients';
import { prepareSend } from './send-fields.validator';
import { toSendSmsResult } from './sms-result.mapper';
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
import { ObserverDispatcher } from '../observers/observer-dispatcher';
import { observedSend, smsRequestObserved } from './sms-request.observed';
import { RejectedRecipient } from './sms.types';
import { PreparedSend } from './send-fields.validator';

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
  ) {
    this.logger = loggerFor(registration);
  }

  /**
   * Checks a send's fields (message, parts against `maxMessageParts`, sender, schedule, force,
   * callback, tags) as `send` does, without sending and without looking at `to`; throws the same
   * typed errors. For a send that happens later, elsewhere: ThaiBulkSmsQueue checks with it
   * before queueing, so a message the worker would refuse is refused at once.
   */
  validate(input: Omit<SendSmsOptions, 'to'>): void {
    prepareSend(input, this.options, this.clock.now());
  }

  /**
   * One request of at most 500 numbers. Invalid numbers come back in `rejected` and the rest are
   * sent; duplicates are sent once. Never resent on its own once it may have reached the API.
   */
  async send(input: SendSmsOptions): Promise<SendSmsResult> {
    const { msisdns, rejected } = sortRecipients(input?.to);
    // The form is built with msisdn in it: a copy made by `{ ...form, msisdn }` gets a hidden class
    // of its own each time in V8, which cost a send ~5% (bench/RESULTS.md).
    const prepared = prepareSend(input, this.options, this.clock.now(), msisdns.join(','));
    const { form } = prepared;
    if (rejected.length) this.logger.debug(`${rejected.length} recipient(s) refused locally as invalid numbers`);
    const force = form.force as CreditType;
    const sentAt = this.clock.now();
    let response: VendorSmsResponse;
    try {
      response = await this.client.sendSms(form, input.signal);
    } catch (error) {
      await this.observeRequest(prepared, sentAt, msisdns, rejected, undefined, error);
      throw error;
    }
    await this.observeRequest(prepared, sentAt, msisdns, rejected, response, undefined);
    return toSendSmsResult(response, rejected, force);
  }

  /**
   * Any number of recipients, read lazily (an async iterable is never held in memory whole),
   * sent in chunks of 500 within the rate limit and `maxConcurrency`. Failed chunks are reported
   * in `failedChunks` with their numbers; they are not retried (they may have gone out).
   */
  async sendBulk(input: BulkSendOptions): Promise<BulkSendResult> {
    const recipients = bulkRecipientSource(input?.to);
    const prepared = prepareSend(input, this.options, this.clock.now());
    const sender = new BulkSender({
      recipients,
      maxConcurrency: this.options.maxConcurrency,
      dedupe: input.dedupe ?? 'chunk',
      summaryOnly: input.summaryOnly === true,
      signal: input.signal,
      onProgress: input.onProgress,
      onProgressError: (error) =>
        this.logger.warn(`onProgress threw: ${error instanceof Error ? error.message : String(error)}`),
      // Object.assign, not `{ ...form, msisdn }`: V8 gives each object made by a spread plus a new
      // property a hidden class of its own (~1 µs, and megamorphic code after it; bench/RESULTS.md).
      sendChunk: (msisdns, signal) => this.sendChunk(prepared, msisdns, signal),
    });
    const result = await sender.execute();
    this.logger.debug(
      `bulk send: ${result.chunks} chunk(s), ${result.acceptedCount} accepted, ${result.rejectedCount} rejected, ${result.failedChunks.length} failed chunk(s)`,
    );
    return result;
  }

  private async sendChunk(
    prepared: PreparedSend,
    msisdns: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<VendorSmsResponse> {
    const sentAt = this.clock.now();
    let response: VendorSmsResponse;
    try {
      response = await this.client.sendSms(Object.assign({}, prepared.form, { msisdn: msisdns.join(',') }), signal);
    } catch (error) {
      await this.observeRequest(prepared, sentAt, msisdns, [], undefined, error);
      throw error;
    }
    await this.observeRequest(prepared, sentAt, msisdns, [], response, undefined);
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
  estimate(message: string, recipients: number | string | readonly unknown[] = 1): SmsEstimate {
    const estimate = estimateMessage(typeof message === 'string' ? message : '');
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
