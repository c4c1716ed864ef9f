import { Test } from '@nestjs/testing';
import { describeTransportContract } from '../transport/transport-contract.test-util';
import { ThaiBulkSmsTransport } from '../transport/thai-bulk-sms.transport';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { SmsService } from '../sms/sms.service';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
import { UndiciThaiBulkSmsTransport } from './undici.transport';

describeTransportContract('UndiciThaiBulkSmsTransport', {
  create: () => new UndiciThaiBulkSmsTransport(),
  maxResponseBytes: MAX_RESPONSE_BODY_BYTES,
});

describe('UndiciThaiBulkSmsTransport in a registration', () => {
  it('is chosen with the transport extra, sends through it, and is shut down with the app', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0 });
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ThaiBulkSmsModule.forRoot({
            ...SANDBOX_DEFAULT_CREDENTIALS,
            baseUrl: sandbox.url,
            maxTps: 0,
            transport: UndiciThaiBulkSmsTransport,
          }),
        ],
      }).compile();
      const transport = moduleRef.get(ThaiBulkSmsTransport);
      expect(transport).toBeInstanceOf(UndiciThaiBulkSmsTransport);
      const shutdown = jest.spyOn(transport as UndiciThaiBulkSmsTransport, 'onApplicationShutdown');
      const result = await moduleRef.get(SmsService).send({ to: '0812345678', message: 'hi' });
      expect(result.accepted).toEqual([expect.objectContaining({ phone: '66812345678' })]);
      expect(sandbox.requests()).toHaveLength(1);
      await moduleRef.close();
      expect(shutdown).toHaveBeenCalledTimes(1);
    } finally {
      await sandbox.close();
    }
  });
});
