import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { RESPONSE_BODY_LIMIT } from './delivery.reporter';
import { postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/** What the sandbox keeps of the receiver's answer to each report (the inbox shows it). */
describe('sandbox delivery reports: the answers they got', () => {
  let server: Server;
  let url: string;
  let answer = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const reportFor = async (body: string) => {
    answer = body;
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
    try {
      await postSms(sandbox, { ...SEND, callback_url: url, callback_method: 'POST' });
      await sandbox.flushDeliveryReports();
      return sandbox.deliveryReports()[0];
    } finally {
      await sandbox.close();
    }
  };

  it("keeps the receiver's status and what it answered", async () => {
    expect(await reportFor('{"received":true}')).toMatchObject({
      responseStatus: 202,
      responseBody: '{"received":true}',
    });
  });

  it('keeps only the start of a long answer, and nothing of an empty one', async () => {
    const long = await reportFor('ก'.repeat(RESPONSE_BODY_LIMIT * 3));
    expect(long.responseBody).toBe('ก'.repeat(RESPONSE_BODY_LIMIT));
    const empty = await reportFor('');
    expect(empty.responseStatus).toBe(202);
    expect(empty).not.toHaveProperty('responseBody');
  });
});
