import type { ConfigType } from '@nestjs/config';
import { configNamespace } from '../config-namespace';
import { EnvInt, EnvString } from '../env.decorators';
import { sandboxMode } from '../run-mode';

export class HttpVariables {
  @EnvInt(0, 65_535) PORT = 3000;
  /** Interface to listen on; unset: 127.0.0.1 in sandbox mode, 0.0.0.0 otherwise. */
  @EnvString() HOST?: string;
  /** Largest JSON/form body; larger → 413. */
  @EnvInt(1024, 10 * 1024 * 1024) BODY_LIMIT_BYTES = 100 * 1024;
  /** Proxies in front of the app, so the per-IP limits see the client's address. */
  @EnvInt(0, 10) TRUST_PROXY_HOPS = 0;
  /** Node's requestTimeout: a request must arrive in full (headers and body) within it. */
  @EnvInt(1_000, 600_000) HTTP_REQUEST_TIMEOUT_MS = 30_000;
  /** Node's headersTimeout. */
  @EnvInt(1_000, 600_000) HTTP_HEADERS_TIMEOUT_MS = 10_000;
  /** How long an idle keep-alive connection stays open. */
  @EnvInt(1_000, 600_000) HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;
  /** After SIGTERM/SIGINT, how long requests in flight may go on before their connections are closed. */
  @EnvInt(100, 600_000) SHUTDOWN_TIMEOUT_MS = 10_000;
}

/** The HTTP server: where it listens, what it accepts, how long a connection may hold it. */
export const httpConfig = configNamespace('http', {
  variables: HttpVariables,
  check: (env) =>
    env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS
      ? ['HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS (headers are part of the request).']
      : [],
  read: (env) => ({
    port: env.PORT,
    host: env.HOST ?? (sandboxMode(env).enabled ? '127.0.0.1' : '0.0.0.0'),
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    /** Express `trust proxy` (hops, or false). */
    trustProxy: env.TRUST_PROXY_HOPS === 0 ? (false as const) : env.TRUST_PROXY_HOPS,
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  }),
});

export type HttpConfig = ConfigType<typeof httpConfig>;
