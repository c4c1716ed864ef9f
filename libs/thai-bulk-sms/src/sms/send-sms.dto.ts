import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { MAX_RECIPIENTS_PER_REQUEST, MAX_SENDER_LENGTH, MAX_TAG_LENGTH, MAX_TAGS } from '../thai-bulk-sms.constants';
import { CreditType } from '../thai-bulk-sms.options';
import { provablyOverLimit, recipientEntries } from './recipients';
import { BulkSendOptions, CallbackMethod, SendSmsOptions } from './sms.types';

/** class-validator constraint names of `to`, read by the validation pipe to name the vendor error. */
export const RECIPIENT_LIST_CONSTRAINT = 'isRecipientList';
export const MAX_RECIPIENTS_CONSTRAINT = 'maxRecipients';

const isRecipientList = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.trim() !== ''
    : Array.isArray(value) && value.length >= 1 && value.every((v) => typeof v === 'string');

/**
 * Fields common to single and bulk sends, in the vendor's names (an HTTP body: the pool is
 * `force`). Plain class-validator; the numbers themselves are checked by SmsService (invalid ones
 * come back as rejected, not as a 400 for the whole request).
 */
export class SmsContentDto {
  @IsString()
  @IsNotEmpty()
  message!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SENDER_LENGTH)
  sender?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  scheduledAt?: string;

  @IsOptional()
  @IsIn(['standard', 'corporate'])
  force?: CreditType;

  @IsOptional()
  @IsBoolean()
  shortenUrl?: boolean;

  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  callbackUrl?: string;

  @IsOptional()
  @IsIn(['GET', 'POST', 'PUT'])
  callbackMethod?: CallbackMethod;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @MaxLength(MAX_TAG_LENGTH, { each: true })
  tags?: string[];

  /**
   * A body's fields as SmsService takes them: the vendor's `force` becomes `creditType`. Static,
   * so a body that no pipe turned into an instance reads the same.
   */
  protected static sendFields(body: SmsContentDto): Omit<SendSmsOptions, 'to'> {
    const { force, ...fields } = body as SmsContentDto & Record<string, unknown>;
    return force === undefined ? fields : { ...fields, creditType: force };
  }
}

/**
 * POST body of one send: `to` is one number (or several joined by commas) or a list. The limit is
 * SmsService's: at most 500 distinct valid numbers, however many duplicates or invalid entries
 * come with them (those come back as rejected), so the DTO never refuses what the service sends;
 * it refuses what it can prove too long cheaply, and leaves the rest to the service's count.
 */
export class SendSmsDto extends SmsContentDto {
  @ValidateBy({
    name: RECIPIENT_LIST_CONSTRAINT,
    validator: {
      validate: isRecipientList,
      defaultMessage: () => 'to must be a phone number or a non-empty array of phone numbers',
    },
  })
  @ValidateBy({
    name: MAX_RECIPIENTS_CONSTRAINT,
    validator: {
      // A malformed `to` is the other rule's to report. No more entries than the limit cannot hold
      // more distinct valid numbers than it. A longer list is refused here only when its numbers
      // in a common form prove it too long, which costs no libphonenumber parse: every other
      // list goes on to SmsService, which counts exactly (the same ERROR_MSISDN_EXCEEDED_LIMIT)
      // and parses each entry once. So a body of thousands of odd entries is parsed once, not twice.
      validate: (value: unknown) => {
        if (!isRecipientList(value)) return true;
        const entries = recipientEntries(value);
        return entries.length <= MAX_RECIPIENTS_PER_REQUEST || !provablyOverLimit(entries, MAX_RECIPIENTS_PER_REQUEST);
      },
      defaultMessage: () =>
        `to must hold at most ${MAX_RECIPIENTS_PER_REQUEST} distinct valid phone numbers (send more with a bulk send)`,
    },
  })
  to!: string | string[];

  /** The body as `SmsService.send` takes it (`force` becomes `creditType`). */
  static toSendOptions(body: SendSmsDto): SendSmsOptions {
    return { ...super.sendFields(body), to: body.to };
  }
}

/** POST body of a bulk send: `to` of any length. */
export class SendBulkSmsDto extends SmsContentDto {
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  to!: string[];

  /** The body as `SmsService.sendBulk` and `SmsQueue.enqueue` take it (`force` becomes `creditType`). */
  static toSendOptions(body: SendBulkSmsDto): BulkSendOptions & { readonly to: string[] } {
    return { ...super.sendFields(body), to: body.to };
  }
}
