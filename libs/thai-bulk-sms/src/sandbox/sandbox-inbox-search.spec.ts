import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { call, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

type Listed = { phone: string; message: string; messageId: string };
const numbers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `08${String(20_000_000 + from + i)}`);

/** The inbox's JSON: search over number and text, pages past the first 200, one message in detail. */
describe('sandbox inbox search, paging and message detail', () => {
  let sandbox: ThaiBulkSmsSandbox;
  const messages = async (query: string) => (await call(`${sandbox.url}/__sandbox/messages?${query}`)).json;
  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('finds a substring of the text, Thai included, case-insensitively', async () => {
    await postSms(sandbox, { ...SEND, msisdn: '0812345678', message: 'Your parcel has SHIPPED' });
    await postSms(sandbox, { ...SEND, msisdn: '0898765432', message: 'ยืนยันการนัดหมายวันพรุ่งนี้ เวลา 10:00 น.' });
    const texts = async (q: string) =>
      ((await messages(`q=${encodeURIComponent(q)}`)).messages as Listed[]).map((m) => m.message);
    expect(await texts('shipped')).toEqual(['Your parcel has SHIPPED']);
    expect(await texts('นัดหมาย')).toEqual(['ยืนยันการนัดหมายวันพรุ่งนี้ เวลา 10:00 น.']);
    expect(await texts('nothing like this')).toEqual([]);
  });

  it('finds a substring of the number in any form a person types it', async () => {
    await postSms(sandbox, { ...SEND, msisdn: '0812345678,0898765432', message: 'two numbers' });
    const phones = async (q: string) =>
      ((await messages(`q=${encodeURIComponent(q)}`)).messages as Listed[]).map((m) => m.phone);
    for (const q of ['0812', '66812', '+66 81', '081-234-5678', '345'])
      expect({ q, phones: await phones(q) }).toEqual({ q, phones: ['66812345678'] });
    expect(await phones('98765')).toEqual(['66898765432']);
  });

  it('pages past 200: newest first, `total` counting every match, `offset` and `limit` cutting the page', async () => {
    await postSms(sandbox, { ...SEND, msisdn: numbers(250).join(','), message: 'bulk' });
    await postSms(sandbox, { ...SEND, msisdn: '0812345678', message: 'last one' });
    const first = await messages('');
    expect(first).toMatchObject({ total: 251, offset: 0, limit: 200 });
    expect(first.messages).toHaveLength(200);
    expect(first.messages[0].message).toBe('last one');
    const second = await messages('offset=200');
    expect(second).toMatchObject({ total: 251, offset: 200, limit: 200 });
    expect(second.messages).toHaveLength(51);
    const seen = new Set([...first.messages, ...second.messages].map((m: Listed) => m.messageId));
    expect(seen.size).toBe(251);
    expect((await messages('q=bulk&offset=240&limit=20')).messages).toHaveLength(10);
  });

  it('answers one message with the delivery reports sent for it and what the receiver said', async () => {
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const sent = await postSms(sandbox, {
        ...SEND,
        msisdn: '0812345678,0898765432',
        callback_url: hook,
        callback_method: 'PUT',
        tag: 'orders',
      });
      await sandbox.flushDeliveryReports();
      const id = sent.json.phone_number_list[0].message_id as string;
      const detail = await call(`${sandbox.url}/__sandbox/messages/${encodeURIComponent(id)}`);
      expect(detail.status).toBe(200);
      expect(detail.json.message).toEqual(sandbox.messages().find((m) => m.messageId === id));
      expect(detail.json.message).toMatchObject({ callbackUrl: hook, callbackMethod: 'PUT', tags: ['orders'] });
      expect(detail.json.deliveryReports).toEqual([
        expect.objectContaining({
          messageId: id,
          status: 'delivered',
          method: 'PUT',
          responseStatus: 200,
          responseBody: '{"received":true}',
        }),
      ]);
      expect((await call(`${sandbox.url}/__sandbox/messages/nope`)).status).toBe(404);
    } finally {
      await closeServer(receiver);
    }
  });
});

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
