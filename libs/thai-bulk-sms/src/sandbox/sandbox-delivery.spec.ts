import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DELIVERY_FAILED_ERROR } from './delivery.reporter';
import { FakeClock, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly contentType?: string;
  readonly body: string;
}

/** A local webhook receiver standing in for the app's delivery-report endpoint. */
class Receiver {
  readonly received: Received[] = [];
  private waiters: (() => void)[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        receiver.received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          contentType: req.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(204).end();
        receiver.waiters.splice(0).forEach((w) => w());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async waitFor(count: number): Promise<void> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('sandbox delivery reports', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await Receiver.start();
  });
  afterAll(() => receiver.close());
  beforeEach(() => receiver.received.splice(0));

  it('POSTs a JSON report per message to callback_url after the configured delay', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, deliveryDelayMs: 20 });
    try {
      const answer = await postSms(sandbox, {
        ...SEND,
        msisdn: '0812345678,0898765432',
        callback_url: `${receiver.url}/dr?secret=abc`,
        callback_method: 'POST',
      });
      const ids = answer.json.phone_number_list.map((p: { message_id: string }) => p.message_id);
      expect(receiver.received).toHaveLength(0);
      await receiver.waitFor(2);
      const bodies = receiver.received.map((r) => {
        expect(r).toMatchObject({ method: 'POST', url: '/dr?secret=abc', contentType: 'application/json' });
        return JSON.parse(r.body);
      });
      expect(bodies).toEqual(
        expect.arrayContaining([
          {
            message_id: ids[0],
            msisdn: '66812345678',
            status: 'delivered',
            time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/),
          },
          { message_id: ids[1], msisdn: '66898765432', status: 'delivered', time: expect.any(String) },
        ]),
      );
      await waitUntil(() => sandbox.deliveryReports().length === 2);
      expect(sandbox.deliveryReports()[0]).toMatchObject({ status: 'delivered', responseStatus: 204, method: 'POST' });
      expect(sandbox.messages().map((m) => m.status)).toEqual(['delivered', 'delivered']);
    } finally {
      await sandbox.close();
    }
  });

  it('sends GET reports as a query string, keeping the query already in the URL, and fails configured numbers', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      deliveryDelayMs: 60_000,
      failingNumbers: ['+66898765432'],
    });
    try {
      await postSms(sandbox, {
        ...SEND,
        msisdn: '0812345678,0898765432',
        callback_url: `${receiver.url}/dr?secret=abc`,
        callback_method: 'GET',
      });
      expect(sandbox.messages().map((m) => m.status)).toEqual(['accepted', 'accepted']);
      await sandbox.flushDeliveryReports();
      expect(receiver.received).toHaveLength(2);
      const queries = receiver.received.map((r) => {
        expect(r.method).toBe('GET');
        return Object.fromEntries(new URL(r.url, receiver.url).searchParams);
      });
      const failed = queries.find((q) => q.msisdn === '66898765432');
      expect(failed).toMatchObject({ secret: 'abc', status: 'failed', error: DELIVERY_FAILED_ERROR });
      expect(queries.find((q) => q.msisdn === '66812345678')).toMatchObject({ secret: 'abc', status: 'delivered' });
      expect(queries.find((q) => q.msisdn === '66812345678')).not.toHaveProperty('error');
      expect(sandbox.messages({ phone: '0898765432' })[0].status).toBe('failed');
    } finally {
      await sandbox.close();
    }
  });

  it('sends PUT reports form-encoded when deliveryReportEncoding is form', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      deliveryDelayMs: 60_000,
      deliveryReportEncoding: 'form',
    });
    try {
      await postSms(sandbox, { ...SEND, callback_url: `${receiver.url}/dr`, callback_method: 'PUT' });
      await sandbox.flushDeliveryReports();
      expect(receiver.received[0]).toMatchObject({ method: 'PUT', contentType: 'application/x-www-form-urlencoded' });
      expect(Object.fromEntries(new URLSearchParams(receiver.received[0].body))).toMatchObject({
        msisdn: '66812345678',
        status: 'delivered',
      });
    } finally {
      await sandbox.close();
    }
  });

  it('records an unreachable receiver instead of failing', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, deliveryDelayMs: 60_000 });
    try {
      await postSms(sandbox, { ...SEND, callback_url: 'http://127.0.0.1:1/dr' });
      await sandbox.flushDeliveryReports();
      const [report] = sandbox.deliveryReports();
      expect(report).not.toHaveProperty('responseStatus');
      expect(report.sendError).toMatch(/ECONNREFUSED/);
    } finally {
      await sandbox.close();
    }
  });

  it('settles messages without a callback once their time has come on the sandbox clock', async () => {
    const clock = new FakeClock();
    const sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      clock,
      deliveryDelayMs: 1000,
      failingNumbers: ['0898765432'],
    });
    try {
      await postSms(sandbox, { ...SEND, msisdn: '0812345678,0898765432' });
      expect(sandbox.messages().map((m) => m.status)).toEqual(['accepted', 'accepted']);
      clock.advance(1000);
      expect(sandbox.messages().map((m) => m.status)).toEqual(['delivered', 'failed']);
      expect(sandbox.deliveryReports()).toHaveLength(0);
    } finally {
      await sandbox.close();
    }
  });

  it('reset() brings back the start-time failing numbers, dropping those set since', async () => {
    const clock = new FakeClock();
    const sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      clock,
      deliveryDelayMs: 0,
      failingNumbers: ['0898765432'],
    });
    const statuses = async () => {
      await postSms(sandbox, { ...SEND, msisdn: '0812345678,0898765432' });
      clock.advance(1);
      const result = sandbox.messages().map((m) => m.status);
      sandbox.reset();
      return result;
    };
    try {
      sandbox.setFailingNumbers(['0812345678']);
      expect(await statuses()).toEqual(['failed', 'delivered']);
      expect(await statuses()).toEqual(['delivered', 'failed']);
    } finally {
      await sandbox.close();
    }
  });

  it('cancels pending reports on close', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, deliveryDelayMs: 50 });
    await postSms(sandbox, { ...SEND, callback_url: `${receiver.url}/dr` });
    await sandbox.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(0);
  });
});

async function waitUntil(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(predicate()).toBe(true);
}
