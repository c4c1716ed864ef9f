import { HttpModule, HttpService } from '@nestjs/axios';
import { Test, TestingModule } from '@nestjs/testing';
import axios, { InternalAxiosRequestConfig } from 'axios';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { SmsService } from '../sms/sms.service';
import { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import { AxiosThaiBulkSmsTransport } from './axios.transport';
import { describeTransportContract } from './transport-contract.test-util';
import { ThaiBulkSmsTransport } from './thai-bulk-sms.transport';

// The default transport on the shared contract (deadline, caller's signal, error mapping, body
// cap, shutdown).
describeTransportContract('AxiosThaiBulkSmsTransport', {
  create: () => new AxiosThaiBulkSmsTransport(),
  maxResponseBytes: MAX_RESPONSE_BODY_BYTES,
});

// On an app's HttpService whose axios defaults would each break the contract if they applied:
// the transport's per-request settings win.
describeTransportContract("AxiosThaiBulkSmsTransport on an app's HttpService", {
  create: () =>
    new AxiosThaiBulkSmsTransport(
      new HttpService(
        axios.create({
          validateStatus: (status) => status < 300,
          responseType: 'json',
          maxRedirects: 5,
          maxContentLength: -1,
        }),
      ),
    ),
  maxResponseBytes: MAX_RESPONSE_BODY_BYTES,
});

describe("AxiosThaiBulkSmsTransport and the app's HttpModule", () => {
  let sandbox: ThaiBulkSmsSandbox;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0 });
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(() => sandbox.close());

  const options = () => ({ ...SANDBOX_DEFAULT_CREDENTIALS, baseUrl: sandbox.url, otpBaseUrl: sandbox.url, maxTps: 0 });
  /** The URLs the app's axios interceptors saw. */
  const intercepted = (ref: TestingModule): string[] => {
    const seen: string[] = [];
    ref.get(HttpService, { strict: false }).axiosRef.interceptors.request.use((config: InternalAxiosRequestConfig) => {
      seen.push(`${config.method?.toUpperCase()} ${config.url}`);
      return config;
    });
    return seen;
  };

  it('sends through the HttpService given in forRootAsync imports: its interceptors see every call', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsModule.forRootAsync({ imports: [HttpModule.register({})], useFactory: options })],
    }).compile();
    const seen = intercepted(moduleRef);
    await moduleRef.init();
    await moduleRef.get(SmsService).send({ to: '0812345678', message: 'hi' });
    expect(seen).toEqual([`POST ${sandbox.url}/sms`]);
  });

  it('sends through a global HttpModule', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [HttpModule.register({ global: true }), ThaiBulkSmsModule.forRoot(options())],
    }).compile();
    const seen = intercepted(moduleRef);
    await moduleRef.init();
    await moduleRef.get(SmsService).send({ to: '0812345678', message: 'hi' });
    expect(seen).toEqual([`POST ${sandbox.url}/sms`]);
  });

  it('uses an axios instance of its own when no HttpService is visible', async () => {
    moduleRef = await Test.createTestingModule({ imports: [ThaiBulkSmsModule.forRoot(options())] }).compile();
    await moduleRef.init();
    expect(moduleRef.get(ThaiBulkSmsTransport)).toBeInstanceOf(AxiosThaiBulkSmsTransport);
    expect(() => moduleRef!.get(HttpService, { strict: false })).toThrow();
    await expect(moduleRef.get(SmsService).send({ to: '0812345678', message: 'hi' })).resolves.toMatchObject({
      accepted: [expect.objectContaining({ phone: '66812345678' })],
    });
  });
});
