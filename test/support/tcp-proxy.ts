import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server (PostgreSQL here), to take it away from a client
 * without touching the server itself, which others share:
 * - `cut()`: every connection is dropped and new ones are closed at once (a server that stopped);
 * - `stall()`: bytes stop flowing both ways and new connections hang (a server that stopped
 *   answering); `restore()` lets the held bytes through, so requests sent meanwhile land late;
 * - `restore()`: back to relaying.
 */
export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string;
  cut(): void;
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  upstream?: Socket;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'pass' | 'cut' | 'stall' = 'pass';
  const pairs = new Set<Pair>();
  const held: Pair[] = [];

  const drop = (pair: Pair) => {
    pair.client.destroy();
    pair.upstream?.destroy();
    pairs.delete(pair);
  };
  const relay = (pair: Pair) => {
    const upstream = connect(target);
    pair.upstream = upstream;
    upstream.on('error', () => drop(pair));
    upstream.on('close', () => drop(pair));
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
  };

  const server: Server = createServer((client) => {
    const pair: Pair = { client };
    pairs.add(pair);
    client.on('error', () => drop(pair));
    client.on('close', () => drop(pair));
    if (mode === 'cut') return drop(pair);
    if (mode === 'stall') {
      client.pause();
      held.push(pair);
      return;
    }
    relay(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) drop(pair);
      held.length = 0;
    },
    stall() {
      mode = 'stall';
      for (const pair of pairs) {
        pair.client.pause();
        pair.upstream?.pause();
      }
    },
    restore() {
      mode = 'pass';
      for (const pair of pairs) {
        pair.client.resume();
        pair.upstream?.resume();
      }
      for (const pair of held.splice(0)) {
        if (!pairs.has(pair)) continue;
        relay(pair);
        pair.client.resume();
      }
    },
    async close() {
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
