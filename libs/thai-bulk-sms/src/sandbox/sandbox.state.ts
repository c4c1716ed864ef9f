import { OptionsReader, SandboxOptionsError } from '../errors';
import { parseThaiMobile } from '../phone/thai-phone';
import { CreditType, DEFAULT_MAX_MESSAGE_PARTS, DEFAULT_MAX_TPS } from '../message/vendor-limits';
import { BoundedHistory } from './bounded.history';
import { RandomIdGenerator } from './message-id.generator';
import { RateWindow } from './rate.window';
import {
  SANDBOX_DEFAULT_CREDENTIALS,
  SANDBOX_DEFAULT_CREDIT,
  SANDBOX_DEFAULT_DELIVERY_DELAY_MS,
  SANDBOX_DEFAULT_HISTORY_LIMIT,
  SANDBOX_DEFAULT_HOST,
  SANDBOX_DEFAULT_OTP_TTL_MS,
  SANDBOX_DEFAULT_PORT,
  SANDBOX_DEFAULT_SENDERS,
} from './sandbox.constants';
import {
  SandboxClock,
  SandboxCreditBalances,
  SandboxCredentials,
  SandboxMessage,
  SandboxOptions,
  SandboxOtp,
} from './sandbox.types';

export interface ResolvedSandboxOptions {
  readonly port: number;
  readonly host: string;
  readonly credentials: SandboxCredentials;
  readonly credits: SandboxCreditBalances;
  readonly senders: ReadonlySet<string>;
  readonly maxTps: number;
  readonly maxMessageParts: number;
  readonly deliveryDelayMs: number;
  readonly otpTtlMs: number;
  readonly clock: SandboxClock;
  readonly historyLimit: number;
  readonly duplicates: 'once' | 'each';
  readonly deliveryReportEncoding: 'json' | 'form';
  readonly random: () => number;
  readonly otpVerifyStatus: 'success' | 'verified';
  readonly creditShape: 'pools' | 'number';
}

const SYSTEM_CLOCK: SandboxClock = Object.freeze({ now: () => Date.now() });

export function resolveSandboxOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  validate(options);
  const credits = {
    standard: options.credits?.standard ?? SANDBOX_DEFAULT_CREDIT,
    corporate: options.credits?.corporate ?? SANDBOX_DEFAULT_CREDIT,
  };
  const resolved: ResolvedSandboxOptions = {
    port: options.port ?? SANDBOX_DEFAULT_PORT,
    host: options.host ?? SANDBOX_DEFAULT_HOST,
    credentials: {
      apiKey: options.apiKey ?? SANDBOX_DEFAULT_CREDENTIALS.apiKey,
      apiSecret: options.apiSecret ?? SANDBOX_DEFAULT_CREDENTIALS.apiSecret,
      otpKey: options.otpKey ?? SANDBOX_DEFAULT_CREDENTIALS.otpKey,
      otpSecret: options.otpSecret ?? SANDBOX_DEFAULT_CREDENTIALS.otpSecret,
    },
    credits,
    senders: new Set(options.senders ?? SANDBOX_DEFAULT_SENDERS),
    maxTps: options.maxTps ?? DEFAULT_MAX_TPS,
    maxMessageParts: options.maxMessageParts ?? DEFAULT_MAX_MESSAGE_PARTS,
    deliveryDelayMs: options.deliveryDelayMs ?? SANDBOX_DEFAULT_DELIVERY_DELAY_MS,
    otpTtlMs: options.otpTtlMs ?? SANDBOX_DEFAULT_OTP_TTL_MS,
    clock: options.clock ?? SYSTEM_CLOCK,
    historyLimit: options.historyLimit ?? SANDBOX_DEFAULT_HISTORY_LIMIT,
    duplicates: options.duplicates ?? 'once',
    deliveryReportEncoding: options.deliveryReportEncoding ?? 'json',
    random: options.random ?? Math.random,
    otpVerifyStatus: options.otpVerifyStatus ?? 'success',
    creditShape: options.creditShape ?? 'pools',
  };
  return resolved;
}

const CREDENTIALS = ['apiKey', 'apiSecret', 'otpKey', 'otpSecret'] as const;

/** The options as given: numbers whole and in range, credentials non-empty, variants known. */
function validate(options: SandboxOptions): void {
  const given: OptionsReader = OptionsReader.of(options, { error: SandboxOptionsError, secrets: CREDENTIALS });
  given.int('port', 0, 0, 65535);
  const credits = given.object('credits');
  credits.int('standard', 0, 0);
  credits.int('corporate', 0, 0);
  given.int('maxTps', 0, 0);
  given.int('maxMessageParts', 1, 1);
  given.int('deliveryDelayMs', 0, 0);
  given.int('otpTtlMs', 1, 1);
  given.int('historyLimit', 0, 0);
  for (const name of CREDENTIALS) {
    const value = given.value(name);
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      given.fail(name, 'must be a non-empty string');
  }
  // Plain JS callers get no type check, and a misspelt variant would silently test the default.
  oneOf(given, 'otpVerifyStatus', ['success', 'verified']);
  oneOf(given, 'creditShape', ['pools', 'number']);
}

function oneOf(given: OptionsReader, name: string, allowed: readonly string[]): void {
  const value = given.value(name);
  if (value !== undefined && !allowed.includes(value as string))
    given.fail(name, `must be one of ${allowed.join(', ')}${given.got(name, value)}`);
}

/** Everything the sandbox has received and decided; handlers read and write it. */
export class SandboxState {
  readonly ids = new RandomIdGenerator();
  readonly messages: BoundedHistory<SandboxMessage>;
  readonly otps: BoundedHistory<SandboxOtp>;
  readonly otpsByToken = new Map<string, SandboxOtp>();
  readonly rate: RateWindow;
  readonly requests = new Map<string, number>();
  balances: SandboxCreditBalances;
  failingNumbers: ReadonlySet<string> = new Set<string>();
  /** The start-time `failingNumbers`, which reset() brings back like the balances. */
  private readonly initialFailingNumbers: ReadonlySet<string>;
  /** `Basic base64(key:secret)`, computed once instead of decoding every request's header. */
  readonly expectedAuthorization: string;

  constructor(
    readonly options: ResolvedSandboxOptions,
    failingNumbers: readonly string[] = [],
  ) {
    this.messages = new BoundedHistory(options.historyLimit);
    this.otps = new BoundedHistory(options.historyLimit, (otp) => this.otpsByToken.delete(otp.token));
    this.rate = new RateWindow(options.maxTps, options.clock);
    this.balances = { ...options.credits };
    this.setFailingNumbers(failingNumbers);
    this.initialFailingNumbers = this.failingNumbers;
    const { apiKey, apiSecret } = options.credentials;
    this.expectedAuthorization = `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`;
  }

  now(): number {
    return this.options.clock.now();
  }

  countRequest(path: string): void {
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
  }

  setFailingNumbers(numbers: readonly string[]): void {
    const set = new Set<string>();
    for (const number of numbers) {
      const parsed = parseThaiMobile(number);
      if (!parsed.valid) throw new TypeError(`failingNumbers: ${JSON.stringify(number)} is not a Thai mobile number`);
      set.add(parsed.msisdn);
    }
    this.failingNumbers = set;
  }

  setCredits(partial: Partial<Record<CreditType, number>>): void {
    for (const type of ['standard', 'corporate'] as const) {
      const value = partial[type];
      if (value === undefined) continue;
      if (!Number.isInteger(value) || value < 0)
        throw new RangeError(`credits.${type} must be an integer >= 0, got ${value}`);
      this.balances[type] = value;
    }
  }

  reset(): void {
    this.messages.clear();
    this.otps.clear();
    this.otpsByToken.clear();
    this.rate.reset();
    this.requests.clear();
    this.balances = { ...this.options.credits };
    this.failingNumbers = this.initialFailingNumbers;
  }
}
