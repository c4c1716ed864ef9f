import { execFileSync } from 'node:child_process';
import { AddressInfo, connect, createServer, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { describeWithService, isCi, ServiceProbe, serviceSpecMode } from '../testing/describe-with-service.test-util';
import { DEFAULT_REDIS_URL, redisOptionsFromUrl } from './thai-bulk-sms-queue.options';

/** Redis for the queue specs: REDIS_URL, or the local default. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL || DEFAULT_REDIS_URL;
}

/** A queue name no other run (or parallel spec file) uses. */
export function uniqueQueueName(label: string): string {
  return `t-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export const TEST_PREFIX = 'tbs-test';

// Runs in a child so the answer is known while Jest collects the tests (describe is synchronous).
const PROBE = `
const net = require('node:net');
const [host, port] = [process.argv[1], Number(process.argv[2])];
const socket = net.connect({ host, port });
const fail = (why) => { process.stdout.write('down ' + why); process.exit(0); };
socket.setTimeout(1500, () => fail('timeout'));
socket.on('error', (e) => fail(e.code || e.message));
socket.on('connect', () => socket.write('PING\\r\\n'));
socket.on('data', (d) => { const t = String(d); process.stdout.write(t.startsWith('+PONG') || t.startsWith('-NOAUTH') ? 'up' : 'down answer ' + t.trim()); process.exit(0); });
`;

/** Whether Redis answers at `url`, and if not why. */
export function probeRedis(url = testRedisUrl()): { up: true } | { up: false; reason: string } {
  const { host, port } = redisOptionsFromUrl(url);
  try {
    const out = execFileSync(process.execPath, ['-e', PROBE, String(host), String(port)], {
      timeout: 5000,
      encoding: 'utf8',
    });
    return out === 'up' ? { up: true } : { up: false, reason: out.replace(/^down /, '') };
  } catch (error) {
    return { up: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Why Redis is missing at `url`, and how to start one (for describeWithService). */
export function redisProbe(url = testRedisUrl()): ServiceProbe {
  const probe = probeRedis(url);
  if (probe.up) return probe;
  const shown = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@'); // never a password in the output
  return {
    up: false,
    reason: `not reachable at ${shown} (${probe.reason})`,
    help:
      'These tests run against a real Redis: start one with `docker run --rm -p 6379:6379 redis:7-alpine` ' +
      '(or `redis-server`), or set REDIS_URL.',
  };
}

export { isCi };

/**
 * `describe` for specs that need Redis (see describeWithService): without Redis skipped, with a
 * line in the end-of-run summary that says which Redis and why, or, in CI (see isCi), one failing
 * test with the same message (CI must never skip them silently).
 */
export function describeWithRedis(name: string, body: () => void): void {
  describeWithService('Redis', () => redisProbe(), name, body);
}

/** What describeWithRedis does: run with Redis; without it fail in CI, skip elsewhere. */
export const redisSpecMode = serviceSpecMode;

/** Removes every key of a test queue. */
export async function obliterateQueue(name: string, url = testRedisUrl(), prefix = TEST_PREFIX): Promise<void> {
  const queue = new Queue(name, { connection: redisOptionsFromUrl(url), prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

interface RedisProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A loopback TCP server standing in for the Redis at `url`: `relay` wires each client connection
 * to the real Redis (`upstream()` opens one); every socket of both sides is tracked, so close()
 * cuts them all.
 */
async function serveRedisProxy(
  url: string,
  relay: (client: Socket, upstream: (onConnect?: () => void) => Socket) => void,
): Promise<RedisProxy> {
  const { host, port } = redisOptionsFromUrl(url);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };
  const server = createServer((client) => {
    track(client);
    relay(client, (onConnect) => track(connect({ host: String(host), port: Number(port) }, onConnect)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as AddressInfo).port);
  return {
    url: proxied.toString(),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A loopback TCP proxy to Redis that holds each new connection for `delayMs` before relaying it,
 * so a client stays "connecting" long enough for a test to act in that state.
 */
export function startSlowRedisProxy(delayMs: number, url = testRedisUrl()): Promise<RedisProxy> {
  return serveRedisProxy(url, (client, upstream) => {
    client.pause();
    const timer = setTimeout(() => {
      const server = upstream(() => {
        client.pipe(server).pipe(client);
        client.resume();
      });
      server.on('close', () => client.destroy());
      client.on('close', () => server.destroy());
    }, delayMs);
    client.on('close', () => clearTimeout(timer));
  });
}

/**
 * A loopback TCP proxy to Redis that delays every reply by `latencyMs` (requests go straight
 * through), like a Redis across a slow network, and counts the INFO commands clients sent (ioredis
 * sends one as its ready check, BullMQ one more as the last step of its connection's init). A
 * client that half-closes gets no more replies, as from a Redis behind a load balancer.
 */
export async function startLatencyRedisProxy(
  latencyMs: number,
  url = testRedisUrl(),
): Promise<RedisProxy & { infoCommands: () => number }> {
  let infos = 0;
  const proxy = await serveRedisProxy(url, (client, upstream) => {
    const server = upstream();
    client.on('data', (chunk: Buffer) => {
      infos += (chunk.toString('latin1').match(/\r\ninfo\r\n/gi) ?? []).length;
      server.write(chunk);
    });
    // Same delay for every chunk: timers of equal delay fire in order, so replies stay in order.
    server.on('data', (chunk: Buffer) => setTimeout(() => client.writable && client.write(chunk), latencyMs));
    server.on('close', () => client.destroy());
    client.on('end', () => client.destroy());
    client.on('close', () => server.destroy());
  });
  return { ...proxy, infoCommands: () => infos };
}

/**
 * A plain loopback TCP proxy to Redis. Its close() is a Redis outage as clients see it: every
 * connection cut at once, and new ones refused.
 */
export function startRedisProxy(url = testRedisUrl()): Promise<RedisProxy> {
  return serveRedisProxy(url, (client, upstream) => {
    const server = upstream();
    client.pipe(server).pipe(client);
    server.on('close', () => client.destroy());
    client.on('close', () => server.destroy());
  });
}
