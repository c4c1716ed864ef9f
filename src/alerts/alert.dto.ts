import { ApiProperty } from '@nestjs/swagger';
import { SendBulkSmsDto } from '@app/thai-bulk-sms';
import { CallerCategory, documentSmsContent, SendCategory } from '../sms/dto/send-sms.dto';

/** POST /alerts: the library's SendBulkSmsDto (any number of recipients), documented. */
export class SendAlertDto extends SendBulkSmsDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    example: ['0812345678', '0898765432'],
    description: 'Any number of Thai mobile numbers, sent in chunks of 500 and merged; bounded only by the body limit.',
  })
  declare to: string[];

  @SendCategory()
  category?: CallerCategory;
}
documentSmsContent(SendAlertDto);
