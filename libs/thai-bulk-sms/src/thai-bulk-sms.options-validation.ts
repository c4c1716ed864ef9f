import { OptionsReader, OptionsReaderSettings } from './errors/options-reader';
import { ThaiBulkSmsOptionsError } from './errors/options.errors';
import { MAX_SENDER_LENGTH } from './thai-bulk-sms.constants';
import {
  OPTION_DEFAULTS,
  ResolvedThaiBulkSmsOptions,
  RetryPolicy,
  ThaiBulkSmsModuleOptions,
} from './thai-bulk-sms.options';

const SETTINGS: OptionsReaderSettings = {
  error: ThaiBulkSmsOptionsError,
  secrets: ['apiKey', 'apiSecret', 'otpKey', 'otpSecret'],
  // Extras shape the module graph, which Nest builds before any factory runs: from useFactory
  // they would be silently ignored, so they are refused with a pointer.
  extras: ['isGlobal', 'name', 'transport'],
  factoryMethod: 'createThaiBulkSmsOptions',
};

// A Record over the interface's keys: adding an option without listing it here does not compile.
const KNOWN_OPTIONS = Object.keys({
  apiKey: true,
  apiSecret: true,
  otpKey: true,
  otpSecret: true,
  baseUrl: true,
  otpBaseUrl: true,
  defaultSender: true,
  defaultCreditType: true,
  timeoutMs: true,
  maxTps: true,
  maxConcurrency: true,
  retry: true,
  maxMessageParts: true,
} satisfies Record<keyof ThaiBulkSmsModuleOptions, true>);
const KNOWN_RETRY_OPTIONS = Object.keys({ retries: true, baseDelayMs: true, maxDelayMs: true } satisfies Record<
  keyof RetryPolicy,
  true
>);

/** A key and its secret, each optional, but never one without the other. */
function pair(options: OptionsReader, key: string, secret: string): [string | undefined, string | undefined] {
  const k = options.optionalString(key);
  const s = options.optionalString(secret);
  if (k !== undefined && s === undefined) options.fail(secret, `is required when ${key} is set`);
  if (s !== undefined && k === undefined) options.fail(key, `is required when ${secret} is set`);
  return [k, s];
}

/**
 * Checks the options field by field and fills in the defaults. An unknown key is refused (a typo
 * such as `timeoutMS` would otherwise leave the default in force without a word). Credentials are
 * optional one pair at a time (an app may use only SMS or only OTP), but a registration needs at
 * least one pair.
 */
export function resolveThaiBulkSmsOptions(
  input: ThaiBulkSmsModuleOptions | undefined | null,
): ResolvedThaiBulkSmsOptions {
  const options: OptionsReader = OptionsReader.of(input, SETTINGS, { required: true }).known(KNOWN_OPTIONS);
  const [apiKey, apiSecret] = pair(options, 'apiKey', 'apiSecret');
  const [otpKey, otpSecret] = pair(options, 'otpKey', 'otpSecret');
  if (apiKey === undefined && otpKey === undefined)
    options.fail('apiKey', 'set apiKey/apiSecret (SMS, credit) or otpKey/otpSecret (OTP), or both');

  const defaultSender = options.optionalString('defaultSender') ?? OPTION_DEFAULTS.defaultSender;
  if (defaultSender.length > MAX_SENDER_LENGTH)
    options.fail(
      'defaultSender',
      `must be at most ${MAX_SENDER_LENGTH} characters${options.got('defaultSender', defaultSender)}`,
    );
  const defaultCreditType = options.oneOf('defaultCreditType', OPTION_DEFAULTS.defaultCreditType, [
    'standard',
    'corporate',
  ]);
  const maxTps = options.number('maxTps', OPTION_DEFAULTS.maxTps, 0, ' (0 turns the limit off)');

  const retryOptions = options.object('retry').known(KNOWN_RETRY_OPTIONS);
  const retry = {
    retries: retryOptions.int('retries', OPTION_DEFAULTS.retry.retries, 0),
    baseDelayMs: retryOptions.int('baseDelayMs', OPTION_DEFAULTS.retry.baseDelayMs, 0),
    maxDelayMs: retryOptions.int('maxDelayMs', OPTION_DEFAULTS.retry.maxDelayMs, 0),
  };

  return {
    apiKey,
    apiSecret,
    otpKey,
    otpSecret,
    baseUrl: options.httpUrl('baseUrl', OPTION_DEFAULTS.baseUrl),
    otpBaseUrl: options.httpUrl('otpBaseUrl', OPTION_DEFAULTS.otpBaseUrl),
    defaultSender,
    defaultCreditType,
    timeoutMs: options.int('timeoutMs', OPTION_DEFAULTS.timeoutMs, 1),
    maxTps,
    maxConcurrency: options.int('maxConcurrency', OPTION_DEFAULTS.maxConcurrency, 1),
    maxMessageParts: options.int('maxMessageParts', OPTION_DEFAULTS.maxMessageParts, 1),
    retry,
  };
}
