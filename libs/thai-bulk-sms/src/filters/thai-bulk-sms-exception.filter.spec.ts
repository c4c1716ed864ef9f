import {
  BadRequestException,
  Body,
  Controller,
  Get,
  INestApplication,
  Logger,
  Param,
  Post,
  ValidationPipe,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  LedgerQueryError,
  LedgerUnavailableError,
  LinkNotRegisteredError,
  SmsQueueDedupeConflictError,
  ThaiBulkSmsQueueConnectionError,
  LinkShortenerNotAllowedError,
  localVendorError,
  OptOutTextMissingError,
  OutsideSendingHoursError,
  RecipientOptedOutError,
  ScheduledOutsideSendingHoursError,
  ShortenUrlNotAllowedError,
  SuppressionListUnavailableError,
  OtpCodeInvalidError,
  OtpTokenExpiredError,
  ThaiBulkSmsAbortedError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsResponseTooLargeError,
  ThaiBulkSmsTimeoutError,
  ThaiBulkSmsUnconfirmedSendError,
  vendorError,
} from '../errors';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { SendSmsDto } from '../sms/send-sms.dto';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { CapturingLogger } from '../testing/spec-helpers.test-util';
import { MAY_HAVE_BEEN_SENT_MESSAGE, ThaiBulkSmsExceptionFilter } from './thai-bulk-sms-exception.filter';
import { ThaiBulkSmsValidationPipe } from './thai-bulk-sms-validation.pipe';

const ERRORS: Record<string, () => Error> = {
  local: () => localVendorError('ERROR_MSISDN', 'no valid Thai mobile number in to.'),
  vendor404: () => vendorError({ name: 'ERROR_BRAND_NEW_CALLER_THING', upstreamStatus: 422 }),
  otpWrong: () => new OtpCodeInvalidError({ upstreamStatus: 400 }),
  otpExpired: () => new OtpTokenExpiredError({ upstreamStatus: 400 }),
  auth: () => vendorError({ name: 'ERROR_AUTHENTICATION_FAILED', upstreamStatus: 401 }),
  credit: () => vendorError({ name: 'ERROR_INSUFFICIENT_CREDIT', upstreamStatus: 400 }),
  system: () => vendorError({ name: 'ERROR_SYSTEM_FAILURE', upstreamStatus: 500 }),
  busy: () => vendorError({ name: 'ERROR_TOO_MANY_REQUESTS', upstreamStatus: 429 }),
  msisdnUnder401: () => vendorError({ name: 'ERROR_MSISDN', upstreamStatus: 401 }),
  msisdnUnder429: () => vendorError({ name: 'ERROR_MSISDN', upstreamStatus: 429 }),
  unconfirmed: () =>
    new ThaiBulkSmsUnconfirmedSendError({ upstreamStatus: 201, problem: 'and no lists', unconfirmed: ['66812345678'] }),
  tooLarge: () => new ThaiBulkSmsResponseTooLargeError(1024),
  timeout: () => new ThaiBulkSmsTimeoutError(200),
  network: () => new ThaiBulkSmsNetworkError({ networkCode: 'ECONNRESET', requestMayHaveArrived: true }),
  refused: () => new ThaiBulkSmsNetworkError({ networkCode: 'ECONNREFUSED', requestMayHaveArrived: false }),
  abortedInFlight: () => new ThaiBulkSmsAbortedError(),
  abortedBeforeSending: () => ThaiBulkSmsAbortedError.beforeSending(),
  optedOut: () => new RecipientOptedOutError(2),
  optOutMissing: () => new OptOutTextMissingError('a marketing message must tell how to opt out.'),
  hours: () =>
    new OutsideSendingHoursError(new Date(Date.UTC(2030, 0, 2, 2)), new Date(Date.UTC(2030, 0, 1, 15)), '09:00-21:00'),
  scheduledQuiet: () => new ScheduledOutsideSendingHoursError('09:00-21:00'),
  link: () => new LinkNotRegisteredError('evil.com'),
  shortener: () => new LinkShortenerNotAllowedError('bit.ly'),
  shortenUrl: () => new ShortenUrlNotAllowedError(),
  listDown: () => new SuppressionListUnavailableError(new Error('connect ECONNREFUSED')),
  dedupeConflict: () => new SmsQueueDedupeConflictError('key-order-1042'),
  redisDown: () => new ThaiBulkSmsQueueConnectionError('queue', '127.0.0.1:6399', 100),
  ledgerQuery: () => new LedgerQueryError('ERROR_QUERY_STRING', 'days must be an integer from 1 to 92.'),
  ledgerDown: () => new LedgerUnavailableError('search messages', new Error('connect ECONNREFUSED')),
  app: () => new BadRequestException('the app’s own 400'),
  bug: () => new TypeError('a programming error'),
};

@Controller()
class ProbeController {
  constructor(private readonly sms: SmsService) {}

  @Get('throw/:kind')
  throwIt(@Param('kind') kind: string): never {
    throw ERRORS[kind]();
  }

  @Post('throw/:kind')
  throwItOnPost(@Param('kind') kind: string): never {
    throw ERRORS[kind]();
  }

  @Post('sms')
  send(@Body() dto: SendSmsDto) {
    return this.sms.send(SendSmsDto.toSendOptions(dto));
  }
}

async function createApp(
  bind: 'APP_FILTER' | 'adapter' | 'bare',
  pipe: ValidationPipe = new ValidationPipe({ whitelist: true }),
): Promise<{ app: INestApplication; sb: ThaiBulkSmsSandbox }> {
  const moduleRef = await Test.createTestingModule({
    imports: [ThaiBulkSmsTestingModule.forRoot()],
    controllers: [ProbeController],
    providers: bind === 'APP_FILTER' ? [{ provide: APP_FILTER, useClass: ThaiBulkSmsExceptionFilter }] : [],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalPipes(pipe);
  if (bind === 'adapter') app.useGlobalFilters(new ThaiBulkSmsExceptionFilter(app.getHttpAdapter()));
  if (bind === 'bare') app.useGlobalFilters(new ThaiBulkSmsExceptionFilter());
  await app.init();
  return { app, sb: app.get(THAI_BULK_SMS_SANDBOX) };
}

describe('ThaiBulkSmsExceptionFilter', () => {
  let app: INestApplication;
  let sb: ThaiBulkSmsSandbox;
  const logs = new CapturingLogger();

  beforeAll(async () => {
    ({ app, sb } = await createApp('APP_FILTER'));
    Logger.overrideLogger(logs);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    sb.reset();
    logs.lines.length = 0;
  });

  it.each([
    ['local', 400, 'ERROR_MSISDN'],
    ['vendor404', 422, 'ERROR_BRAND_NEW_CALLER_THING'],
    ['otpWrong', 400, 'OTP_CODE_INVALID'],
    ['otpExpired', 400, 'OTP_TOKEN_EXPIRED'],
    ['auth', 503, 'ERROR_AUTHENTICATION_FAILED'],
    ['credit', 503, 'ERROR_INSUFFICIENT_CREDIT'],
    ['system', 502, 'ERROR_SYSTEM_FAILURE'],
    ['busy', 503, 'ERROR_TOO_MANY_REQUESTS'],
    ['msisdnUnder401', 400, 'ERROR_MSISDN'],
    ['msisdnUnder429', 400, 'ERROR_MSISDN'],
    ['unconfirmed', 502, 'ERROR_UPSTREAM_BAD_RESPONSE'],
    ['tooLarge', 502, 'ERROR_UPSTREAM_RESPONSE_TOO_LARGE'],
    ['timeout', 504, 'ERROR_UPSTREAM_TIMEOUT'],
    ['network', 502, 'ERROR_UPSTREAM_UNREACHABLE'],
    // Compliance: the caller's message to fix is 400; a right request refused as things stand, 422.
    ['optOutMissing', 400, 'OPT_OUT_TEXT_MISSING'],
    ['scheduledQuiet', 400, 'SCHEDULED_OUTSIDE_SENDING_HOURS'],
    ['link', 400, 'LINK_NOT_REGISTERED'],
    ['shortener', 400, 'LINK_SHORTENER_NOT_ALLOWED'],
    ['shortenUrl', 400, 'SHORTEN_URL_NOT_ALLOWED'],
    ['hours', 422, 'OUTSIDE_SENDING_HOURS'],
    ['optedOut', 422, 'RECIPIENT_OPTED_OUT'],
    // Not a rule but our infrastructure: the list could not be read.
    ['listDown', 503, 'SUPPRESSION_LIST_UNAVAILABLE'],
    // The queue's and the ledger's errors: a dedupe key naming another send is a conflict.
    ['dedupeConflict', 409, 'CONFLICT'],
    ['redisDown', 503, 'ERROR_QUEUE_UNREACHABLE'],
    // ERROR_QUERY_STRING is a 500 in the vendor's table, but here the caller's query is wrong.
    ['ledgerQuery', 400, 'ERROR_QUERY_STRING'],
    ['ledgerDown', 503, 'LEDGER_UNAVAILABLE'],
  ])('answers %s with %i and error %s', async (kind, status, error) => {
    const response = await request(app.getHttpServer()).get(`/throw/${kind}`);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ statusCode: status, error, message: expect.any(String) });
  });

  it.each([
    ['timeout', true],
    ['network', true],
    ['abortedInFlight', true],
    ['unconfirmed', true],
    ['tooLarge', true],
    ['refused', false],
    ['abortedBeforeSending', false],
    ['system', false],
  ])('tells a POST caller that %s may have been sent: %s', async (kind, mayHaveBeenSent) => {
    const response = await request(app.getHttpServer()).post(`/throw/${kind}`);
    expect(response.body.message === MAY_HAVE_BEEN_SENT_MESSAGE).toBe(mayHaveBeenSent);
  });

  it('keeps the caller’s message for their own mistakes', async () => {
    const response = await request(app.getHttpServer()).get('/throw/local');
    expect(response.body.message).toBe('no valid Thai mobile number in to.');
  });

  it('shows a generic message for account errors and logs them loudly for the operator', async () => {
    const response = await request(app.getHttpServer()).get('/throw/auth');
    expect(response.body.message).toBe('SMS service is temporarily unavailable.');
    expect(JSON.stringify(response.body)).not.toMatch(/Authentication failed/i);
    expect(logs.lines.some((line) => line.startsWith('error') && line.includes('ERROR_AUTHENTICATION_FAILED'))).toBe(
      true,
    );
  });

  it('leaves the app’s own exceptions to Nest, error field included', async () => {
    const own = await request(app.getHttpServer()).get('/throw/app');
    expect(own.status).toBe(400);
    expect(own.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'the app’s own 400' });

    // Nest's own ValidationPipe: its 400 is the app's, left alone (ThaiBulkSmsValidationPipe names it).
    const invalid = await request(app.getHttpServer()).post('/sms').send({ message: 'hi' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });

    const bug = await request(app.getHttpServer()).get('/throw/bug');
    expect(bug.status).toBe(500);
    expect(bug.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });

  it('answers real sends end to end: local refusal, vendor refusal, account failure', async () => {
    const server = app.getHttpServer();
    const local = await request(server)
      .post('/sms')
      .send({ to: ['0123'], message: 'hi' });
    expect(local.body).toMatchObject({ statusCode: 400, error: 'ERROR_MSISDN' });
    expect(sb.stats().requests['/sms'] ?? 0).toBe(0);

    const vendor = await request(server).post('/sms').send({ to: '0812345678', message: 'hi', sender: 'Nope' });
    expect(vendor.body).toMatchObject({ statusCode: 400, error: 'ERROR_SENDER_NOT_FOUND' });

    sb.failNext('ERROR_AUTHENTICATION_FAILED', { path: '/sms' });
    const account = await request(server).post('/sms').send({ to: '0812345678', message: 'hi' });
    expect(account.status).toBe(503);
    const text = JSON.stringify(account.body);
    for (const secret of [SANDBOX_DEFAULT_CREDENTIALS.apiSecret, SANDBOX_DEFAULT_CREDENTIALS.apiKey])
      expect(text).not.toContain(secret);

    sb.inject({ kind: 'html-502' }, { path: '/sms', times: 1 });
    const outage = await request(server).post('/sms').send({ to: '0812345678', message: 'hi' });
    expect(outage.status).toBe(502);
    expect(outage.text).not.toMatch(/nginx|<html/i);
  });

  it('with ThaiBulkSmsValidationPipe, a DTO mistake answers the vendor name the service would', async () => {
    const { app: named, sb: namedSandbox } = await createApp('APP_FILTER', new ThaiBulkSmsValidationPipe());
    Logger.overrideLogger(logs);
    const server = named.getHttpServer();
    const cases: [object, string][] = [
      [{ message: 'hi' }, 'ERROR_MSISDN'],
      [
        { to: Array.from({ length: 501 }, (_, i) => `08${10_000_000 + i}`), message: 'hi' },
        'ERROR_MSISDN_EXCEEDED_LIMIT',
      ],
      [{ to: '0812345678', message: '' }, 'ERROR_MESSAGE'],
      [{ to: '0812345678', message: 'hi', scheduledAt: 'soon' }, 'ERROR_SCHEDULED_DELIVERY'],
    ];
    for (const [body, error] of cases) {
      const response = await request(server).post('/sms').send(body);
      expect(response.body).toEqual({ statusCode: 400, error, message: expect.any(String) });
    }
    expect(namedSandbox.stats().requests['/sms'] ?? 0).toBe(0);
    await named.close();
  });

  it.each(['adapter', 'bare'] as const)('works when bound with useGlobalFilters (%s)', async (bind) => {
    const { app: other } = await createApp(bind);
    Logger.overrideLogger(logs);
    const ours = await request(other.getHttpServer()).get('/throw/timeout');
    expect(ours.body).toEqual({ statusCode: 504, error: 'ERROR_UPSTREAM_TIMEOUT', message: expect.any(String) });
    const theirs = await request(other.getHttpServer()).get('/throw/app');
    expect(theirs.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'the app’s own 400' });
    expect((await request(other.getHttpServer()).get('/throw/bug')).status).toBe(500);
    await other.close();
  });
});
