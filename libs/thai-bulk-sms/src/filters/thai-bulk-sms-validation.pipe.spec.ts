import { Body, Controller, INestApplication, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import request from 'supertest';
import { RequestOtpDto, VerifyOtpDto } from '../otp/otp.dto';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { SendBulkSmsDto, SendSmsDto } from '../sms/send-sms.dto';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsExceptionFilter } from './thai-bulk-sms-exception.filter';
import { ThaiBulkSmsValidationPipe } from './thai-bulk-sms-validation.pipe';

class ContactDto {
  @IsString()
  mobile!: string;
}

@Controller()
class DtoController {
  constructor(private readonly sms: SmsService) {}

  @Post('sms')
  send(@Body() dto: SendSmsDto) {
    return this.sms.send(SendSmsDto.toSendOptions(dto));
  }

  @Post('bulk')
  bulk(@Body() dto: SendBulkSmsDto) {
    return { count: dto.to.length };
  }

  @Post('otp/request')
  otpRequest(@Body() dto: RequestOtpDto) {
    return dto;
  }

  @Post('otp/verify')
  otpVerify(@Body() dto: VerifyOtpDto) {
    return dto;
  }

  @Post('contact')
  contact(@Body() dto: ContactDto) {
    return dto;
  }
}

const numbers = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `08${String(10_000_000 + from + i)}`);

describe('ThaiBulkSmsValidationPipe', () => {
  let app: INestApplication;
  let sb: ThaiBulkSmsSandbox;

  async function createApp(withFilter: boolean): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot()],
      controllers: [DtoController],
    }).compile();
    const created = moduleRef.createNestApplication({ logger: false });
    created.useGlobalPipes(new ThaiBulkSmsValidationPipe({ fieldErrorNames: { mobile: 'ERROR_MSISDN' } }));
    if (withFilter) created.useGlobalFilters(new ThaiBulkSmsExceptionFilter(created.getHttpAdapter()));
    await created.init();
    return created;
  }

  beforeAll(async () => {
    app = await createApp(true);
    sb = app.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(() => app.close());
  beforeEach(() => sb.reset());

  it.each([
    ['/sms', '501 distinct numbers', { to: numbers(501), message: 'hi' }, 'ERROR_MSISDN_EXCEEDED_LIMIT'],
    ['/sms', 'no to', { message: 'hi' }, 'ERROR_MSISDN'],
    ['/sms', 'an empty list', { to: [], message: 'hi' }, 'ERROR_MSISDN'],
    ['/sms', 'a number as a JSON number', { to: 812345678, message: 'hi' }, 'ERROR_MSISDN'],
    ['/sms', 'an empty message', { to: '0812345678', message: '' }, 'ERROR_MESSAGE'],
    ['/sms', 'no message', { to: '0812345678' }, 'ERROR_MESSAGE'],
    [
      '/sms',
      'a malformed schedule',
      { to: '0812345678', message: 'hi', scheduledAt: 'tomorrow' },
      'ERROR_SCHEDULED_DELIVERY',
    ],
    [
      '/sms',
      'a day that does not exist',
      { to: '0812345678', message: 'hi', scheduledAt: '2027-02-30T10:00:00+07:00' },
      'ERROR_SCHEDULED_DELIVERY',
    ],
    ['/sms', 'a too long sender', { to: '0812345678', message: 'hi', sender: 'ABCDEFGHIJKL' }, 'ERROR_SENDER'],
    ['/sms', 'an unknown pool', { to: '0812345678', message: 'hi', force: 'premium' }, 'ERROR_FORCE'],
    ['/sms', 'a bad callback URL', { to: '0812345678', message: 'hi', callbackUrl: 'not a url' }, 'ERROR_CALLBACK_URL'],
    [
      '/sms',
      'a bad callback method',
      { to: '0812345678', message: 'hi', callbackMethod: 'DELETE' },
      'ERROR_CALLBACK_METHOD',
    ],
    ['/sms', 'tags that are not a list', { to: '0812345678', message: 'hi', tags: 'a,b' }, 'ERROR_TAGS'],
    ['/sms', 'eleven tags', { to: '0812345678', message: 'hi', tags: numbers(11) }, 'ERROR_TAGS_EXCEEDED_LENGTH'],
    [
      '/sms',
      'a too long tag',
      { to: '0812345678', message: 'hi', tags: ['x'.repeat(51)] },
      'ERROR_TAGS_EXCEEDED_LENGTH',
    ],
    ['/sms', 'an unknown field', { to: '0812345678', message: 'hi', priority: 'high' }, 'ERROR_FORM'],
    [
      '/sms',
      'an unknown field named like a known one elsewhere',
      { to: '0812345678', message: 'hi', phone: '0812345678' },
      'ERROR_FORM',
    ],
    ['/sms', 'shortenUrl as a string', { to: '0812345678', message: 'hi', shortenUrl: 'yes' }, 'ERROR_FORM'],
    ['/bulk', 'a single string', { to: '0812345678', message: 'hi' }, 'ERROR_MSISDN'],
    ['/otp/request', 'a landline', { phone: '021234567' }, 'ERROR_MSISDN'],
    ['/otp/verify', 'a PIN with letters', { token: 't', pin: '12ab56' }, 'OTP_INVALID_PARAMETER'],
    ['/otp/verify', 'no token', { pin: '123456' }, 'OTP_INVALID_PARAMETER'],
    ['/contact', "an app's own field, named by fieldErrorNames", { mobile: 5 }, 'ERROR_MSISDN'],
  ])('%s: %s → 400 %s, nothing sent', async (path, _label, body, error) => {
    const response = await request(app.getHttpServer()).post(path).send(body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ statusCode: 400, error, message: expect.any(String) });
    expect(sb.stats().requests['/sms'] ?? 0).toBe(0);
  });

  it('lets through what SmsService sends: 500 distinct numbers however many entries carry them', async () => {
    const five00 = numbers(500);
    const response = await request(app.getHttpServer())
      .post('/sms')
      .send({ to: [...five00, five00[0], '0123'], message: 'hi' });
    expect(response.status).toBe(201);
    expect(response.body.accepted).toHaveLength(500);
    expect(response.body.rejected).toEqual([{ phone: '0123', reason: expect.any(String) }]);
  });

  it('never echoes the refused values', async () => {
    const response = await request(app.getHttpServer())
      .post('/otp/verify')
      .send({ token: 'token-SECRET-ish', pin: 'pin-SECRET-ish' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).not.toContain('SECRET');
  });

  it('answers the same without the library filter (it is an HttpException)', async () => {
    const bare = await createApp(false);
    const response = await request(bare.getHttpServer())
      .post('/sms')
      .send({ to: numbers(501), message: 'hi' });
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'ERROR_MSISDN_EXCEEDED_LIMIT',
      message: expect.any(String),
    });
    await bare.close();
  });
});
