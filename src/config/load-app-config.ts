import { randomBytes } from 'node:crypto';
import { AppConfig, CreditType, DEV_API_KEY, LogFormat, RedisConfig, TelemetryConfig } from './app-config';
import { readEmbeddedSandboxEnv } from './embedded-sandbox-env';
import { DEFAULT_REDIS_PREFIX, DEFAULT_REDIS_URL, readRedisUrl } from './redis-url';

export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown when the environment is incomplete or wrong; `problems` lists every finding. */
export class AppConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example and the configuration table in README.md.',
    );
    this.name = 'AppConfigError';
  }
}

const MIN_KEY_LENGTH = 16;

/**
 * Reads and validates the environment (README, "Configuration"). Every problem is collected, so the operator
 * fixes them all in one go; nothing secret is ever echoed in a message.
 */
export function loadAppConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const r = new EnvReader(env, problems);

  const nodeEnv = r.str('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';

  const apiKey = r.str('THAIBULKSMS_API_KEY');
  const apiSecret = r.str('THAIBULKSMS_API_SECRET');
  const otpKey = r.str('THAIBULKSMS_OTP_KEY');
  const otpSecret = r.str('THAIBULKSMS_OTP_SECRET');
  const sandboxFlag = r.bool('THAIBULKSMS_SANDBOX');

  let sandbox: boolean;
  let sandboxReason: string;
  if (sandboxFlag === true) {
    sandbox = true;
    sandboxReason = 'THAIBULKSMS_SANDBOX=true';
  } else if (sandboxFlag === false) {
    sandbox = false;
    sandboxReason = 'THAIBULKSMS_SANDBOX=false';
  } else if (!apiKey) {
    sandbox = true;
    sandboxReason = 'THAIBULKSMS_API_KEY is not set';
    if (production) {
      problems.push(
        'NODE_ENV=production but THAIBULKSMS_API_KEY is not set: set the ThaiBulkSMS credentials, ' +
          'or set THAIBULKSMS_SANDBOX=true to run the embedded sandbox on purpose.',
      );
    }
  } else {
    sandbox = false;
    sandboxReason = 'THAIBULKSMS_API_KEY is set';
  }

  if (!sandbox) {
    for (const [name, value] of [
      ['THAIBULKSMS_API_KEY', apiKey],
      ['THAIBULKSMS_API_SECRET', apiSecret],
      ['THAIBULKSMS_OTP_KEY', otpKey],
      ['THAIBULKSMS_OTP_SECRET', otpSecret],
    ] as const) {
      if (!value) problems.push(`${name} is required outside sandbox mode (${sandboxReason}).`);
    }
  } else if (Boolean(apiKey) !== Boolean(apiSecret)) {
    problems.push('THAIBULKSMS_API_KEY and THAIBULKSMS_API_SECRET must be set together.');
  } else if (Boolean(otpKey) !== Boolean(otpSecret)) {
    problems.push('THAIBULKSMS_OTP_KEY and THAIBULKSMS_OTP_SECRET must be set together.');
  }

  const baseUrl = r.url('THAIBULKSMS_BASE_URL');
  const otpBaseUrl = r.url('THAIBULKSMS_OTP_BASE_URL');
  const sender = r.str('THAIBULKSMS_SENDER') ?? 'SMS.';
  if (sender.length > 11) problems.push('THAIBULKSMS_SENDER must be at most 11 characters.');
  const force = (r.oneOf('THAIBULKSMS_FORCE', ['standard', 'corporate']) ?? 'standard') as CreditType;
  const timeoutMs = r.int('THAIBULKSMS_TIMEOUT_MS', 10_000, 1, 300_000);
  const maxTps = r.int('THAIBULKSMS_MAX_TPS', 120, 0, 10_000);
  const minCredit = r.optInt('THAIBULKSMS_MIN_CREDIT', 0, Number.MAX_SAFE_INTEGER);
  const healthCacheSeconds = r.int('HEALTH_CACHE_SECONDS', 10, 0, 3_600);

  const rawKeys = (r.str('APP_API_KEYS') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  let apiKeys = rawKeys;
  let usingDevApiKey = false;
  if (rawKeys.length === 0) {
    if (sandbox && !production) {
      apiKeys = [DEV_API_KEY];
      usingDevApiKey = true;
    } else {
      problems.push(
        `APP_API_KEYS is required ${production ? 'when NODE_ENV=production' : 'outside sandbox mode'}: ` +
          `a comma-separated list of keys (at least ${MIN_KEY_LENGTH} characters each) that callers send in the x-api-key header. ` +
          `Generate one with: node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))"`,
      );
    }
  } else if (!sandbox || production) {
    rawKeys.forEach((k, i) => {
      if (k === DEV_API_KEY)
        problems.push(`APP_API_KEYS entry #${i + 1} is the public development key; use a secret one.`);
      else if (k.length < MIN_KEY_LENGTH)
        problems.push(`APP_API_KEYS entry #${i + 1} is shorter than ${MIN_KEY_LENGTH} characters.`);
    });
  }

  const givenWebhookToken = r.str('DELIVERY_WEBHOOK_TOKEN');
  let webhookToken = givenWebhookToken;
  const publicBaseUrl = r.url('PUBLIC_BASE_URL')?.replace(/\/+$/, '');
  if (webhookToken !== undefined && !/^[A-Za-z0-9_-]{16,128}$/.test(webhookToken)) {
    problems.push(
      'DELIVERY_WEBHOOK_TOKEN must be 16 to 128 characters of A-Z, a-z, 0-9, "_" or "-" (it is a URL path segment).',
    );
  }
  if (publicBaseUrl && !webhookToken) {
    if (sandbox) webhookToken = randomBytes(18).toString('base64url');
    else
      problems.push(
        'PUBLIC_BASE_URL is set but DELIVERY_WEBHOOK_TOKEN is not: the delivery-report webhook needs its secret.',
      );
  }
  if (!webhookToken && sandbox) webhookToken = randomBytes(18).toString('base64url');
  const webhookTokenGenerated = webhookToken !== givenWebhookToken;

  const otp = {
    phoneCooldownSeconds: r.int('OTP_PHONE_COOLDOWN_SECONDS', 60, 1, 86_400),
    phoneDailyLimit: r.int('OTP_PHONE_DAILY_LIMIT', 5, 1, 1_000),
    ipLimit: r.int('OTP_IP_LIMIT', 20, 1, 1_000_000),
    verifyIpLimit: r.int('OTP_VERIFY_IP_LIMIT', 60, 1, 1_000_000),
    ipWindowSeconds: r.int('OTP_IP_WINDOW_SECONDS', 3_600, 1, 86_400),
    verifyMaxAttempts: r.int('OTP_VERIFY_MAX_ATTEMPTS', 5, 1, 100),
    tokenTtlSeconds: r.int('OTP_TOKEN_TTL_SECONDS', 300, 10, 86_400),
  };

  const bodyLimitBytes = r.int('BODY_LIMIT_BYTES', 100 * 1024, 1024, 10 * 1024 * 1024);
  const http = {
    requestTimeoutMs: r.int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1_000, 600_000),
    headersTimeoutMs: r.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1_000, 600_000),
    keepAliveTimeoutMs: r.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 1_000, 600_000),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
  };
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    problems.push(
      'HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS (headers are part of the request).',
    );
  }
  const logFormat = (r.oneOf('LOG_FORMAT', ['json', 'text']) ?? (production ? 'json' : 'text')) as LogFormat;
  const port = r.int('PORT', 3000, 0, 65_535);
  const host = r.str('HOST') ?? (sandbox ? '127.0.0.1' : '0.0.0.0');
  const trustProxy = r.int('TRUST_PROXY_HOPS', 0, 0, 10);
  const sandboxPort = r.optInt('SANDBOX_PORT', 0, 65_535);
  // Outside sandbox mode the SANDBOX_* variables mean nothing, so they are not checked either.
  const sandboxSettings = sandbox ? readEmbeddedSandboxEnv(env, problems) : undefined;

  // Scale-out: REDIS_URL alone moves the OTP counters to Redis; QUEUE_ENABLED=true adds the queue.
  const queueEnabled = r.bool('QUEUE_ENABLED') ?? false;
  const queueWorker = r.bool('QUEUE_WORKER') ?? true;
  const redisUrl = r.str('REDIS_URL') ?? (queueEnabled ? DEFAULT_REDIS_URL : undefined);
  const redisPrefix = r.str('REDIS_PREFIX') ?? DEFAULT_REDIS_PREFIX;
  let redis: RedisConfig | undefined;
  if (redisUrl !== undefined) {
    const read = readRedisUrl(redisUrl);
    if ('problem' in read) problems.push(read.problem);
    else redis = { url: redisUrl, options: read.options, maskedUrl: read.maskedUrl, prefix: redisPrefix };
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(redisPrefix)) {
    problems.push('REDIS_PREFIX must be 1 to 64 characters of A-Z, a-z, 0-9, "_", "." or "-" (BullMQ forbids ":").');
  }
  if (queueEnabled && maxTps === 0) {
    problems.push(
      'THAIBULKSMS_MAX_TPS=0 (no limit) cannot be used with QUEUE_ENABLED=true: the queue holds the account-wide rate limit in Redis; set it from 1 to 10000.',
    );
  }

  const telemetry = readTelemetryConfig(r);

  if (problems.length > 0) throw new AppConfigError(problems);

  return {
    nodeEnv,
    port,
    host,
    sandbox,
    sandboxReason,
    sandboxPort,
    ...(sandboxSettings && { sandboxSettings }),
    thaiBulkSms: {
      apiKey,
      apiSecret,
      otpKey,
      otpSecret,
      baseUrl,
      otpBaseUrl,
      sender,
      force,
      timeoutMs,
      maxTps,
      minCredit,
      healthCacheSeconds,
    },
    apiKeys,
    usingDevApiKey,
    delivery: { webhookToken, webhookTokenGenerated, publicBaseUrl },
    otp,
    bodyLimitBytes,
    http,
    logFormat,
    trustProxy: trustProxy === 0 ? false : trustProxy,
    ...(redis ? { redis } : {}),
    queue: { enabled: queueEnabled, worker: queueWorker },
    telemetry,
  };
}

export const DEFAULT_METRICS_PORT = 9464;
export const DEFAULT_SERVICE_NAME = 'thaibulksms-sample-app';

/**
 * The OpenTelemetry settings alone: src/telemetry/instrument.ts reads them before anything else
 * is loaded (loadAppConfig reads them again, with everything else).
 */
export function loadTelemetryConfig(env: Env): TelemetryConfig {
  const problems: string[] = [];
  const telemetry = readTelemetryConfig(new EnvReader(env, problems));
  if (problems.length > 0) throw new AppConfigError(problems);
  return telemetry;
}

function readTelemetryConfig(r: EnvReader): TelemetryConfig {
  const otlpEndpoint = r.url('OTEL_EXPORTER_OTLP_ENDPOINT');
  return {
    enabled: r.bool('OTEL_ENABLED') ?? false,
    metricsPort: r.int('METRICS_PORT', DEFAULT_METRICS_PORT, 1, 65_535),
    metricsHost: r.str('METRICS_HOST') ?? '127.0.0.1',
    ...(otlpEndpoint && { otlpEndpoint }),
    serviceName: r.str('OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
  };
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  str(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.str(name)?.toLowerCase();
    if (v === undefined) return undefined;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    this.problems.push(`${name} must be "true" or "false".`);
    return undefined;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    return this.optInt(name, min, max) ?? fallback;
  }

  optInt(name: string, min: number, max: number): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v}").`);
      return undefined;
    }
    return n;
  }

  oneOf(name: string, allowed: readonly string[]): string | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (!allowed.includes(v)) {
      this.problems.push(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got "${v}").`);
      return undefined;
    }
    return v;
  }

  url(name: string): string | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      return v;
    } catch {
      this.problems.push(`${name} must be an http(s) URL.`);
      return undefined;
    }
  }
}
