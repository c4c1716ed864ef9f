import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SendSmsDto as LibrarySendSmsDto } from '@app/thai-bulk-sms';
import { MAX_SENDER_LENGTH } from '@app/thai-bulk-sms/helpers';
import { MAX_RECIPIENTS_PER_SEND } from '../../common/validation';

/**
 * Swagger for the fields every send shares (the library's SmsContentDto). The validation rules
 * stay the library's: the app only documents them, so the two can never disagree.
 */
export function documentSmsContent(dto: abstract new (...args: never[]) => object): void {
  const p = dto.prototype as object;
  ApiProperty({
    example: 'Your parcel is on its way.',
    description: 'The text. Any Thai makes the whole message UCS-2 (70 characters per credit, 67 per part beyond).',
  })(p, 'message');
  ApiPropertyOptional({
    example: 'Demo',
    maxLength: MAX_SENDER_LENGTH,
    description: 'Approved sender name; THAIBULKSMS_SENDER when omitted. Wrong: 400 ERROR_SENDER.',
  })(p, 'sender');
  ApiPropertyOptional({
    type: String,
    description:
      'Send later: ISO-8601 with an offset (2026-12-17T17:12:00+07:00), in the future and less than one year ahead ' +
      '(ERROR_SCHEDULED_DELIVERY*). The "scheduled" example of POST /sms is always an hour from now.',
  })(p, 'scheduledAt');
  ApiPropertyOptional({ enum: ['standard', 'corporate'], description: 'Credit pool; THAIBULKSMS_FORCE when omitted.' })(
    p,
    'force',
  );
  ApiPropertyOptional({ type: Boolean, description: 'Let the vendor shorten URLs in the text.' })(p, 'shortenUrl');
  ApiPropertyOptional({
    type: [String],
    example: ['campaign-42'],
    maxItems: 10,
    description: "Labels for the vendor's reports (ERROR_TAGS*).",
  })(p, 'tags');
  ApiPropertyOptional({
    type: String,
    description:
      "Absolute http(s) URL where the vendor sends delivery reports. When omitted and PUBLIC_BASE_URL is set (or in sandbox mode), the app's own webhook is used.",
  })(p, 'callbackUrl');
  ApiPropertyOptional({ enum: ['GET', 'POST', 'PUT'], description: 'HTTP method of delivery reports. @default POST' })(
    p,
    'callbackMethod',
  );
}

/** The categories a caller may choose: `otp` belongs to /otp. */
export const CALLER_CATEGORIES = ['transactional', 'marketing'] as const;
export type CallerCategory = (typeof CALLER_CATEGORIES)[number];

/** `category` of a send (README, "Compliance"): validated and documented, on every send body. */
export function SendCategory(): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({
      enum: CALLER_CATEGORIES,
      default: 'transactional',
      description:
        '`transactional` (orders, alerts: skips only numbers opted out of everything) or `marketing` (promotion: the opt-out ' +
        'line is appended, only within the marketing hours, skips every opted-out number). Opted-out numbers come back in ' +
        '`rejected` with RECIPIENT_OPTED_OUT; refusals are 422 (OUTSIDE_SENDING_HOURS, LINK_NOT_REGISTERED…).',
    })(target, key);
    IsOptional()(target, key);
    IsIn(CALLER_CATEGORIES, { message: "category must be 'transactional' or 'marketing'" })(target, key);
  };
}

/**
 * POST /sms: the library's SendSmsDto, documented. (Adding a validator to `to` here would replace
 * the library's: class-validator lets a subclass's custom rules on a property hide the parent's.)
 */
export class SendSmsDto extends LibrarySendSmsDto {
  @ApiProperty({
    oneOf: [
      { type: 'string' },
      { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_RECIPIENTS_PER_SEND },
    ],
    example: '0812345678',
    description:
      `One Thai mobile number or up to ${MAX_RECIPIENTS_PER_SEND}: 0812345678, 66812345678 or +66812345678. Invalid numbers in a list ` +
      `come back in \`rejected\`; above ${MAX_RECIPIENTS_PER_SEND}, 400 ERROR_MSISDN_EXCEEDED_LIMIT (use /alerts).`,
  })
  declare to: string | string[];

  @SendCategory()
  category?: CallerCategory;
}
documentSmsContent(SendSmsDto);
