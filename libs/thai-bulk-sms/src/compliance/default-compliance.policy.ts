import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  COMPLIANCE_ERROR_NAMES,
  LinkNotRegisteredError,
  LinkShortenerNotAllowedError,
  OptOutTextMissingError,
  OutsideSendingHoursError,
  ScheduledOutsideSendingHoursError,
  ShortenUrlNotAllowedError,
  SuppressionListUnavailableError,
  ThaiBulkSmsComplianceError,
} from '../errors';
import { maskPhone, Msisdn } from '../phone';
import { scheduledInstant } from '../message/scheduled-delivery';
import { RejectedRecipient } from '../sms/sms.types';
import { findLinkHosts } from './link-detector';
import { MessageCategory } from './message-category';
import { suppresses, SuppressionScope } from './suppression-list';
import {
  ComplianceCheckContext,
  ComplianceCheckedFields,
  RecipientScreen,
  ScreenedRecipients,
  ThaiBulkSmsCompliancePolicy,
} from './thai-bulk-sms-compliance.policy';
import { ResolvedComplianceOptions } from './thai-bulk-sms-compliance.options';
import { THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS } from './thai-bulk-sms-compliance.tokens';

/** What the policy has done since it started, per rule (error name). */
export interface ComplianceStats {
  readonly mode: ResolvedComplianceOptions['mode'];
  /** Sends refused (strict mode). */
  readonly refused: Readonly<Record<string, number>>;
  /** Rules broken by sends that went out anyway (warn mode). */
  readonly warned: Readonly<Record<string, number>>;
  /** Numbers dropped because they opted out. */
  readonly optedOut: number;
}

const NO_ONE: readonly RejectedRecipient[] = Object.freeze([]);

/**
 * The rules of docs/compliance.md: links only to registered hosts and never through shorteners,
 * no vendor link shortening, and for marketing an opt-out line, the marketing hours and the
 * opt-out list (`transactional` honours only opt-outs of scope `all`; `otp` none).
 */
@Injectable()
export class DefaultThaiBulkSmsCompliancePolicy extends ThaiBulkSmsCompliancePolicy {
  private readonly logger = new Logger('ThaiBulkSmsCompliance');
  private readonly refused = new Map<string, number>();
  private readonly warned = new Map<string, number>();
  private optedOut = 0;
  private readonly optOutLower?: string;
  private readonly screens: Partial<Record<MessageCategory, RecipientScreen>> = {};

  constructor(@Inject(THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS) private readonly options: ResolvedComplianceOptions) {
    super();
    this.optOutLower = options.optOutText?.toLowerCase();
    const list = options.suppressionList;
    if (list && options.mode !== 'off') {
      this.screens.marketing = (msisdns) => this.screen(msisdns, 'marketing');
      this.screens.transactional = (msisdns) => this.screen(msisdns, 'transactional');
    }
  }

  checkSend<T extends ComplianceCheckedFields>(send: T, category: MessageCategory, context: ComplianceCheckContext): T {
    if (this.options.mode === 'off' || typeof send.message !== 'string') return send;
    const message = this.messageFor(send.message, category);
    if (send.shortenUrl === true) this.breach(new ShortenUrlNotAllowedError(), category, context);
    for (const host of findLinkHosts(message)) {
      const verdict = this.options.links.verdict(host);
      if (verdict === 'shortener') this.breach(new LinkShortenerNotAllowedError(host), category, context);
      else if (verdict === 'unregistered') this.breach(new LinkNotRegisteredError(host), category, context);
    }
    if (category === 'marketing') {
      this.checkOptOut(message, context);
      this.checkHours(send.scheduledAt, context);
    }
    return message === send.message ? send : { ...send, message };
  }

  recipientScreen(category: MessageCategory): RecipientScreen | undefined {
    return this.screens[category];
  }

  messageFor(message: string, category: MessageCategory): string {
    const text = this.options.optOutText;
    if (category !== 'marketing' || this.options.mode === 'off' || !text || !this.options.appendOptOutText)
      return message;
    if (this.hasOptOutLine(message)) return message;
    return `${message.trimEnd()}\n${text}`;
  }

  stats(): ComplianceStats {
    return {
      mode: this.options.mode,
      refused: Object.fromEntries(this.refused),
      warned: Object.fromEntries(this.warned),
      optedOut: this.optedOut,
    };
  }

  private checkOptOut(message: string, context: ComplianceCheckContext): void {
    if (this.optOutLower === undefined) {
      this.breach(
        new OptOutTextMissingError(
          'a marketing message must tell how to opt out: set optOutText in ThaiBulkSmsComplianceModule (it is appended to marketing messages).',
        ),
        'marketing',
        context,
      );
    } else if (!this.hasOptOutLine(message)) {
      this.breach(
        new OptOutTextMissingError(
          'a marketing message must contain the opt-out line (optOutText); appendOptOutText is off.',
        ),
        'marketing',
        context,
      );
    }
  }

  private checkHours(scheduledAt: Date | string | undefined, context: ComplianceCheckContext): void {
    const { hours } = this.options;
    if (scheduledAt !== undefined && scheduledAt !== null) {
      // An unreadable or past schedule is refused with the vendor's names when the send is prepared.
      const at = scheduledInstant(scheduledAt);
      if (at !== undefined && !hours.isOpen(at))
        this.breach(new ScheduledOutsideSendingHoursError(hours.window), 'marketing', context);
      return;
    }
    const now = context.nowMs;
    if (!hours.isOpen(now)) {
      const error = new OutsideSendingHoursError(new Date(hours.nextOpening(now)), new Date(now), hours.window);
      this.breach(error, 'marketing', context);
    }
  }

  private hasOptOutLine(message: string): boolean {
    return this.optOutLower !== undefined && message.toLowerCase().includes(this.optOutLower);
  }

  /** Strict: refuse (throw). Warn: log the rule, never the text or a full number, count it, go on. */
  private breach(error: ThaiBulkSmsComplianceError, category: MessageCategory, context: ComplianceCheckContext): void {
    if (this.options.mode === 'strict') {
      if (!context.dryRun) bump(this.refused, error.errorName);
      throw error;
    }
    if (context.dryRun) return;
    bump(this.warned, error.errorName);
    // A link error's message names the host, which is part of the message text: only its description is logged.
    const why =
      error instanceof LinkNotRegisteredError || error instanceof LinkShortenerNotAllowedError
        ? error.description
        : error.message;
    const to = context.recipients?.length
      ? ` to ${context.recipients.length} recipient(s) (${maskPhone(context.recipients[0])}${context.recipients.length > 1 ? ', …' : ''})`
      : '';
    this.logger.warn(`compliance (warn mode): ${error.errorName} on a ${category} send${to}: ${why} Sent anyway.`);
  }

  private async screen(msisdns: readonly Msisdn[], category: MessageCategory): Promise<ScreenedRecipients> {
    let scopes: readonly (SuppressionScope | undefined)[];
    try {
      scopes = await this.options.suppressionList!.scopesOf(msisdns);
    } catch (error) {
      throw new SuppressionListUnavailableError(error);
    }
    let kept: Msisdn[] | undefined;
    let optedOut: RejectedRecipient[] | undefined;
    for (let i = 0; i < msisdns.length; i++) {
      if (suppresses(scopes[i], category)) {
        kept ??= msisdns.slice(0, i);
        (optedOut ??= []).push({ phone: msisdns[i], reason: COMPLIANCE_ERROR_NAMES.recipientOptedOut });
      } else if (kept) {
        kept.push(msisdns[i]);
      }
    }
    if (!kept || !optedOut) return { kept: msisdns, optedOut: NO_ONE };
    this.optedOut += optedOut.length;
    return { kept, optedOut };
  }
}

function bump(counts: Map<string, number>, name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}
