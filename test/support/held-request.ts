import { request as httpRequest } from 'node:http';

export interface HeldRequest {
  /** Resolves once the server has read the request's headers (it answered `100 Continue`). */
  readonly started: Promise<void>;
  /** Sends the body: the server then handles the request. */
  release(): void;
  /** The answer, once there is one; rejects if the connection is cut. */
  readonly response: Promise<{ status: number; body: string }>;
}

/**
 * A JSON POST whose body is held back until `release()`. The server has accepted it (its headers
 * are parsed: `Expect: 100-continue` is answered), so the request is in flight for as long as the
 * test wants — no sleep, no timing guess.
 */
export function holdRequest(url: string, headers: Record<string, string>, body: unknown): HeldRequest {
  const payload = Buffer.from(JSON.stringify(body));
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const req = httpRequest(url, {
    method: 'POST',
    agent: false,
    headers: {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(payload.length),
      expect: '100-continue',
    },
  });
  req.on('continue', markStarted);
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
  });
  req.flushHeaders();
  return { started, release: () => req.end(payload), response };
}
