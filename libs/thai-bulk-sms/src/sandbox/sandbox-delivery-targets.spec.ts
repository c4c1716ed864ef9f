import { createServer as createHttpServer, Server as HttpServer } from 'node:http';
import { AddressInfo, createServer, Server } from 'node:net';
import { call, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/** A loopback TCP service (a Redis, say) that counts who connects to it. */
async function victim(): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, connections: () => connections };
}

/** A webhook receiver that answers 204. */
async function receiver(): Promise<{ server: HttpServer; base: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createHttpServer((req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

const close = (server: Server | HttpServer) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('sandbox delivery-report targets (deliveryReportTargets)', () => {
  it('calls only URLs under an allowed prefix: a callback_url aimed at another loopback port is never called', async () => {
    const target = await victim();
    const hook = await receiver();
    const sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      deliveryReportTargets: [`${hook.base}/webhooks/`],
    });
    try {
      await postSms(sandbox, { ...SEND, callback_url: target.url });
      await postSms(sandbox, { ...SEND, callback_url: `${hook.base}/webhooks/../admin` });
      await postSms(sandbox, { ...SEND, callback_url: `${hook.base}/webhooks/abc` });
      await sandbox.flushDeliveryReports();
      expect(target.connections()).toBe(0);
      expect(hook.paths).toEqual(['/webhooks/abc']);
      const reports = sandbox.deliveryReports();
      expect(reports).toHaveLength(3);
      expect(reports.filter((r) => r.sendError?.includes('not an allowed delivery-report target'))).toHaveLength(2);
      expect(reports.find((r) => r.url.endsWith('/webhooks/abc'))?.responseStatus).toBe(204);
    } finally {
      await sandbox.close();
      await close(target.server);
      await close(hook.server);
    }
  });

  it('can be set while running (an app knows its own webhook only once it listens); an empty list calls nothing', async () => {
    const hook = await receiver();
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, deliveryReportTargets: [] });
    try {
      await postSms(sandbox, { ...SEND, callback_url: `${hook.base}/dr` });
      await sandbox.flushDeliveryReports();
      expect(hook.paths).toEqual([]);
      sandbox.setDeliveryReportTargets([`${hook.base}/dr`]);
      await postSms(sandbox, { ...SEND, callback_url: `${hook.base}/dr` });
      await sandbox.flushDeliveryReports();
      expect(hook.paths).toEqual(['/dr']);
      expect(() => sandbox.setDeliveryReportTargets(['not a url'])).toThrow(RangeError);
    } finally {
      await sandbox.close();
      await close(hook.server);
    }
  });

  it('without the option, any URL is called (the stand-alone default)', async () => {
    const hook = await receiver();
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
    try {
      await postSms(sandbox, { ...SEND, callback_url: `${hook.base}/anything` });
      await sandbox.flushDeliveryReports();
      expect(hook.paths).toEqual(['/anything']);
    } finally {
      await sandbox.close();
      await close(hook.server);
    }
  });
});

describe('sandbox inspection endpoints never show a token from a callback URL', () => {
  it('masks long path segments, query values and passwords in /__sandbox/messages, /requests and /delivery-reports', async () => {
    const token = 'my-own-webhook-token-0123456789';
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, deliveryReportTargets: [] });
    try {
      await postSms(sandbox, { ...SEND, callback_url: `http://127.0.0.1:9/webhooks/thaibulksms/${token}` });
      await postSms(sandbox, { ...SEND, callback_url: `http://user:${token}@127.0.0.1:9/dr?secret=${token}` });
      await sandbox.flushDeliveryReports();
      const shown = [
        await call(`${sandbox.url}/__sandbox/messages`),
        await call(`${sandbox.url}/__sandbox/requests`),
        await call(`${sandbox.url}/__sandbox/delivery-reports`),
      ].map((a) => a.text);
      for (const text of shown) {
        expect(text).not.toContain(token);
        expect(text).toContain('/webhooks/thaibulksms/***');
      }
      expect(shown[0]).toContain('http://user:***@127.0.0.1:9/dr?secret=***');
      // In process, the test's own view keeps the URL as sent.
      expect(sandbox.lastMessage()?.callbackUrl).toContain(token);
    } finally {
      await sandbox.close();
    }
  });
});
