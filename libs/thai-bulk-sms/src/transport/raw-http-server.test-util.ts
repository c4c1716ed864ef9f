import { once } from 'node:events';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A bare node:http server for the wire faults the sandbox does not model exactly (an endless
 * trickle, a body too large to buffer, a connection counted from the server's side). Tests wait
 * for its events (a request arrived, a chunk went out) instead of sleeping.
 */
export interface RawHttpServer {
  readonly url: string;
  /** Requests that reached the handler. */
  readonly received: number;
  /** Resolves once `count` requests have reached the handler. */
  arrivals(count?: number): Promise<void>;
  /** Connections the server holds open right now. */
  readonly openConnections: number;
  /** Resolves once the server holds no connection (the client closed them all). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startRawHttpServer(handler: RawHandler): Promise<RawHttpServer> {
  const sockets = new Set<Socket>();
  let received = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  let drainWaiters: (() => void)[] = [];
  const server = createServer({ keepAlive: true }, (req, res) => {
    received++;
    for (const waiter of waiters.filter((w) => w.count <= received)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    handler(req, res);
  });
  // Idle connections stay until the client closes them: a shutdown test must see the client do it,
  // not the server's or the client's keep-alive timeout.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) {
        for (const resolve of drainWaiters) resolve();
        drainWaiters = [];
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get received() {
      return received;
    },
    arrivals: (count = 1) =>
      count <= received ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    get openConnections() {
      return sockets.size;
    },
    drained: () =>
      sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => drainWaiters.push(resolve)),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Headers of a JSON answer that then comes a byte at a time, `everyMs` apart, forever. */
export function trickleForever(everyMs: number, onChunk?: (sent: number) => void): RawHandler {
  return (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    let sent = 1;
    const timer = setInterval(() => {
      res.write(' ');
      onChunk?.(++sent);
    }, everyMs);
    res.once('close', () => clearInterval(timer));
  };
}

/**
 * A 200 answer of `totalBytes` of JSON-ish filler in 64 kB writes, with or without a declared
 * length; `onCut` says whether the client closed the connection before all of it went out.
 */
export function hugeBody(totalBytes: number, declareLength: boolean, onCut: (cut: boolean) => void): RawHandler {
  const block = Buffer.alloc(64 * 1024, 0x20);
  return (req, res) => {
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(declareLength && { 'content-length': String(totalBytes) }),
    });
    let left = totalBytes;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const size = Math.min(block.length, left);
        left -= size;
        if (!res.write(size === block.length ? block : block.subarray(0, size))) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.once('close', () => onCut(left > 0 || !res.writableFinished));
    pump();
  };
}
