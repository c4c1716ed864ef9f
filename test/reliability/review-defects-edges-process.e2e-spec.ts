import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { describeWithRedis, probeRedis, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { MainProcess, startMain } from '../support/main-process';
import { createTestApp } from '../support/test-app';
import { writeFragment } from './support/reliability';

/**
 * Regression tests of the review's defects that only show in a real process (issue 12): src/main.ts
 * as `npm start` runs it, in a child process.
 */
jest.setTimeout(60_000);

/** Resolves with `value` after `ms`, or never if the process ends first (the race's other side wins). */
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms).unref());

/**
 * A POST /sms whose chunked body arrives one byte a second. Resolves once the app has read the
 * headers (it answered `100 Continue`): the request is then in flight, however slow.
 */
async function dribble(base: URL): Promise<{ socket: Socket; stop(): void }> {
  const socket = connect({ host: base.hostname, port: Number(base.port) });
  socket.on('error', () => undefined);
  const accepted = new Promise<void>((resolve, reject) => {
    socket.on('data', (d: Buffer) => (d.toString('latin1').startsWith('HTTP/1.1 100') ? resolve() : undefined));
    socket.on('close', () => reject(new Error('closed before 100 Continue')));
  });
  socket.write(
    'POST /sms HTTP/1.1\r\n' +
      `Host: ${base.host}\r\n` +
      'x-api-key: dev-key-change-me\r\n' +
      'content-type: application/json\r\n' +
      'transfer-encoding: chunked\r\n' +
      'expect: 100-continue\r\n\r\n',
  );
  await accepted;
  const body = '{"to":"0812345678","message":"slow"}';
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && i < body.length) socket.write(`1\r\n${body[i++]}\r\n`);
  }, 1_000);
  socket.write(`1\r\n${body[i++]}\r\n`);
  return {
    socket,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

describe('SIGTERM with five clients dribbling a body at 1 byte/s (D4)', () => {
  let proc: MainProcess | undefined;
  const clients: { stop(): void }[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.stop();
    proc?.kill('SIGKILL');
    await proc?.exited;
    proc = undefined;
  });

  it('the server bounds every connection: request, headers and keep-alive timeouts from the configuration', async () => {
    const t = await createTestApp({
      env: { HTTP_REQUEST_TIMEOUT_MS: '20000', HTTP_HEADERS_TIMEOUT_MS: '7000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '4000' },
    });
    try {
      expect(t.app.getHttpServer()).toMatchObject({
        requestTimeout: 20_000,
        headersTimeout: 7_000,
        keepAliveTimeout: 4_000,
      });
    } finally {
      await t.close();
    }
    const defaults = await createTestApp();
    try {
      // Node's own defaults are 300 s, 60 s and 5 s.
      expect(defaults.app.getHttpServer()).toMatchObject({ requestTimeout: 30_000, headersTimeout: 10_000 });
    } finally {
      await defaults.close();
    }
  });

  it('stops within SHUTDOWN_TIMEOUT_MS (1 s here): the dribbling connections are closed, the process exits', async () => {
    proc = startMain({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const [, appUrl] = await proc.waitFor(/Swagger UI:\s+(http:\/\/\S+)\/docs/);
    const base = new URL(appUrl.replace('localhost', '127.0.0.1'));
    for (let i = 0; i < 5; i++) clients.push(await dribble(base));

    const signalledAt = Date.now();
    proc.kill('SIGTERM');
    await proc.waitFor(/Shutting down/);
    // Node's own requestTimeout is 300 s: without a deadline the process was still alive after 40 s.
    const outcome = await Promise.race([proc.exited, after(20_000, 'still alive' as const)]);
    expect(outcome).toEqual({ code: 0, signal: null });
    const stoppedInMs = Date.now() - signalledAt;
    expect(proc.stdout()).toMatch(/Shutdown deadline \(1000 ms\) passed/);
    expect(proc.stdout()).toMatch(/Stopped/);
    writeFragment('defect-D4', {
      id: 'D4',
      proof: `SIGTERM with 5 clients dribbling a chunked body at 1 byte/s: their connections closed at SHUTDOWN_TIMEOUT_MS=1000, exit 0 after ${stoppedInMs} ms (was alive after 40 s)`,
    });
  });
});

describe('Text logs of a delivery report from outside (D6)', () => {
  let proc: MainProcess | undefined;
  afterEach(async () => {
    proc?.kill('SIGKILL');
    await proc?.exited;
    proc = undefined;
  });

  it('a forged log line in message_id stays inside the one line, and the phone in error is masked', async () => {
    proc = startMain({ LOG_FORMAT: 'text' });
    const [, webhookUrl] = await proc.waitFor(/Webhook URL:\s+(http:\/\/\S+)/);
    const forged = '[sample-app] 1  - 01/01/2030, 10:00:00 AM   ERROR [Bootstrap] forged: the app is compromised';
    const res = await fetch(webhookUrl.replace('localhost', '127.0.0.1'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        message_id: `m1\n${forged}`,
        msisdn: '66812345003',
        status: 'failed',
        error: 'Undeliverable to +66 81 234 5003',
      }).toString(),
    });
    expect(res.status).toBe(200);
    await proc.waitFor(/SMS delivery failed/);
    const lines = proc.stdout().split('\n');
    const forgedLines = lines.filter((l) => l.includes('ERROR [Bootstrap'));
    expect(forgedLines).toHaveLength(1);
    expect(forgedLines[0]).toMatch(/WARN \[Delivery\] SMS delivery failed messageId=m1\\n\[sample-app\] 1 /);
    expect(forgedLines[0]).toContain('error=Undeliverable to 081xxxx003');
    expect(proc.stdout()).not.toMatch(/812345003|81 234 5003/);
    writeFragment('defect-D6', {
      id: 'D6',
      proof:
        'delivery report with "+66 81 234 5003" in error and a forged "\\n[sample-app] … ERROR [Bootstrap]" line in message_id: the text log kept it on the one WARN line (escaped) with 081xxxx003; the JSON/in-process fields alike (review-defects-edges spec)',
    });
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What a start that failed cleanly shows: our one message, no stack, nothing Node prints for an unhandled error. */
function expectCleanFailure(proc: MainProcess): void {
  expect(proc.stderr()).toContain('The sample app cannot start.');
  expect(proc.stderr()).not.toMatch(/^Node\.js v\d+/m);
  expect(proc.stderr()).not.toMatch(/triggerUncaughtException|UnhandledPromiseRejection/);
}

describe('A password in the query string of REDIS_URL, and a queue whose Redis refuses us (D8)', () => {
  const SECRET = 'S3CR3T-in-the-query-string';
  const proofs: string[] = [];
  let proc: MainProcess | undefined;
  afterEach(async () => {
    proc?.kill('SIGKILL');
    await proc?.exited;
    proc = undefined;
  });
  afterAll(() => {
    // Without Redis the queue half is skipped (and fails in CI): the figures say what was shown.
    if (proofs.length === 2) writeFragment('defect-D8', { id: 'D8', proof: proofs.join('; ') });
    else if (proofs.length === 1 && !probeRedis().up)
      writeFragment('defect-D8', { id: 'D8', proof: `${proofs[0]}; the queue half skipped: no Redis` });
  });

  it('REDIS_URL=redis://host:port/?password=… is refused at start, with a clear message that does not show it', async () => {
    proc = startMain({
      QUEUE_ENABLED: 'true',
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}/?password=${SECRET}`,
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    expect(proc.stderr()).toContain('REDIS_URL must not have a query string');
    expect(proc.stdout() + proc.stderr()).not.toContain(SECRET);
    expectCleanFailure(proc);
    proofs.push('REDIS_URL with ?password= refused at start (exit 1, the password in no output)');
  });

  describeWithRedis('with Redis', () => {
    let gate: Server | undefined;
    afterAll(async () => {
      await new Promise<void>((resolve) => (gate ? gate.close(() => resolve()) : resolve()));
    });

    it('the queue cannot authenticate (NOAUTH on every connection but the app’s own): exit 1 with one clear message, no unhandled rejection', async () => {
      // The app's own connection reaches Redis; every later one (BullMQ's) is answered NOAUTH, as
      // by a Redis with a password the queue was not given.
      const redis = new URL(testRedisUrl());
      let connections = 0;
      const sockets = new Set<Socket>();
      gate = createServer((client) => {
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => client.destroy());
        if (++connections === 1) {
          const upstream = connect({ host: redis.hostname, port: Number(redis.port || 6379) });
          upstream.on('error', () => client.destroy());
          client.pipe(upstream).pipe(client);
          client.on('close', () => upstream.destroy());
          return;
        }
        client.on('data', () => client.write('-NOAUTH Authentication required.\r\n'));
      });
      await new Promise<void>((resolve) => gate!.listen(0, '127.0.0.1', resolve));
      const port = (gate.address() as AddressInfo).port;

      proc = startMain({ QUEUE_ENABLED: 'true', REDIS_URL: `redis://:${SECRET}@127.0.0.1:${port}` });
      const exit = await proc.exited; // BullMQ's readiness gives up after 10 s
      for (const s of sockets) s.destroy();
      expect(exit.code).toBe(1);
      expect(proc.stderr()).toMatch(
        /ThaiBulkSmsQueueConnectionError: ThaiBulkSmsQueueModule: the \S+ could not reach Redis at 127\.0\.0\.1:\d+/,
      );
      expect(proc.stdout() + proc.stderr()).not.toContain(SECRET);
      expectCleanFailure(proc);
      proofs.push(
        'BullMQ answered NOAUTH: ThaiBulkSmsQueueConnectionError reported in one line, exit 1, no unhandled rejection',
      );
    });
  });
});
