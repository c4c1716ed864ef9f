import type { RedisOptions } from 'bullmq';
import type { EmbeddedSandboxEnv } from './embedded-sandbox-env';

/** The vendor's credit pools. */
export type CreditType = 'standard' | 'corporate';

/** Header the caller puts its key in. */
export const API_KEY_HEADER = 'x-api-key';

/**
 * The development key accepted in sandbox mode when APP_API_KEYS is not set. It is printed at
 * start and used in the README's curl examples; it is refused outside sandbox mode.
 */
export const DEV_API_KEY = 'dev-key-change-me';

export type LogFormat = 'json' | 'text';

export interface OtpLimits {
  /** Seconds between two OTP requests for the same phone. */
  readonly phoneCooldownSeconds: number;
  /** OTP requests per phone per 24 hours. */
  readonly phoneDailyLimit: number;
  /** OTP requests per client IP per window. */
  readonly ipLimit: number;
  /** OTP verify calls per client IP per window. */
  readonly verifyIpLimit: number;
  readonly ipWindowSeconds: number;
  /** Verify attempts per token; the token is dead after that, even with the right PIN. */
  readonly verifyMaxAttempts: number;
  /** How long the app remembers an issued token (match the vendor's OTP lifetime). */
  readonly tokenTtlSeconds: number;
}

/** The whole, validated configuration of the sample app. Built once at start by `loadAppConfig`. */
export interface AppConfig {
  readonly nodeEnv: string;
  readonly port: number;
  /** Interface to listen on: 127.0.0.1 in sandbox mode, all interfaces otherwise, unless HOST is set. */
  readonly host: string;
  /** True when the app runs against the embedded in-process sandbox. */
  readonly sandbox: boolean;
  /** Why sandbox mode is on or off, for the start-up log. */
  readonly sandboxReason: string;
  /** Port of the embedded sandbox; undefined = 4010, or any free port when 4010 is taken. */
  readonly sandboxPort?: number;
  /** Sandbox mode only: the embedded sandbox's SANDBOX_* settings (starting balances, approved senders). */
  readonly sandboxSettings?: EmbeddedSandboxEnv;
  readonly thaiBulkSms: {
    readonly apiKey?: string;
    readonly apiSecret?: string;
    readonly otpKey?: string;
    readonly otpSecret?: string;
    readonly baseUrl?: string;
    readonly otpBaseUrl?: string;
    readonly sender: string;
    readonly force: CreditType;
    readonly timeoutMs: number;
    readonly maxTps: number;
    /** Health turns down below this balance (standard pool); undefined = not checked. */
    readonly minCredit?: number;
    /** How long one upstream check answers GET /health (HEALTH_CACHE_SECONDS). */
    readonly healthCacheSeconds: number;
  };
  /** Keys accepted in `x-api-key`. */
  readonly apiKeys: readonly string[];
  /** True when the key list is the development default (sandbox mode without APP_API_KEYS). */
  readonly usingDevApiKey: boolean;
  readonly delivery: {
    /** Secret path segment of the webhook; undefined = webhook off. */
    readonly webhookToken?: string;
    /**
     * True when the token was made up for this run (sandbox mode without DELIVERY_WEBHOOK_TOKEN):
     * nobody else knows it, so the start-up banner prints the webhook URL with it. A token from
     * the environment is never printed.
     */
    readonly webhookTokenGenerated: boolean;
    /** Public base URL of this app; sends without a callbackUrl get the webhook URL under it. */
    readonly publicBaseUrl?: string;
  };
  readonly otp: OtpLimits;
  /** JSON/form body limit in bytes. */
  readonly bodyLimitBytes: number;
  readonly http: HttpLimits;
  readonly logFormat: LogFormat;
  /** Express `trust proxy` (hops or false): needed for per-IP limits behind a proxy. */
  readonly trustProxy: number | false;
  /**
   * Shared Redis (REDIS_URL): OTP throttling and token attempts live there, and the queue when
   * enabled. Undefined = no Redis: in-memory OTP counters (one instance only), no queue.
   */
  readonly redis?: RedisConfig;
  /** Durable sending through ThaiBulkSmsQueueModule (QUEUE_ENABLED=true; needs `redis`). */
  readonly queue: QueueConfig;
  /** OpenTelemetry: metrics (Prometheus, OTLP) and traces (OTLP). */
  readonly telemetry: TelemetryConfig;
}

export interface TelemetryConfig {
  /** OTEL_ENABLED=true: the SDK starts before the app (src/telemetry/instrument.ts). */
  readonly enabled: boolean;
  /** Port of the Prometheus exporter's `GET /metrics` (its own server, not the app's). */
  readonly metricsPort: number;
  /** Interface of that server: 127.0.0.1 unless METRICS_HOST says otherwise. */
  readonly metricsHost: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT): traces and metrics also go there when set. */
  readonly otlpEndpoint?: string;
  /** `service.name` of every span and metric (OTEL_SERVICE_NAME). */
  readonly serviceName: string;
}

export interface RedisConfig {
  /** The URL as given. Holds the password, if any: log `maskedUrl`, never this. */
  readonly url: string;
  /** The URL as ioredis options, read by the library's parser (the queue reads `url` with the same one). */
  readonly options: RedisOptions;
  /** The URL with its password replaced by `***`, for logs and messages. */
  readonly maskedUrl: string;
  /** Prefix of every key the app writes (throttling, OTP tokens, the queue's BullMQ prefix). */
  readonly prefix: string;
}

/** How long a connection may hold the server, and how long a shutdown may take. */
export interface HttpLimits {
  /** Longest a request may take to arrive in full, headers and body (Node's requestTimeout). */
  readonly requestTimeoutMs: number;
  /** Longest the headers of a request may take (Node's headersTimeout). */
  readonly headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (Node's keepAliveTimeout). */
  readonly keepAliveTimeoutMs: number;
  /** After SIGTERM/SIGINT, how long requests in flight may go on before their connections are closed. */
  readonly shutdownTimeoutMs: number;
}

export interface QueueConfig {
  readonly enabled: boolean;
  /** This instance also runs the queue's worker (sends the queued chunks). */
  readonly worker: boolean;
}

/** The DI token of the AppConfig value. */
export const APP_CONFIG = Symbol('APP_CONFIG');
