import { OPTION_DEFAULTS } from './thai-bulk-sms.options';
import { resolveThaiBulkSmsOptions } from './thai-bulk-sms.options-validation';
import { ThaiBulkSmsOptionsError } from './errors/options.errors';

const SECRET = 'super-secret-value-123';
const base = { apiKey: 'key', apiSecret: SECRET };

function errorOf(options: unknown): ThaiBulkSmsOptionsError {
  try {
    resolveThaiBulkSmsOptions(options as never);
  } catch (error) {
    return error as ThaiBulkSmsOptionsError;
  }
  throw new Error('expected the options to be refused');
}

describe('resolveThaiBulkSmsOptions', () => {
  it('fills in every default', () => {
    expect(resolveThaiBulkSmsOptions(base)).toEqual({
      ...base,
      otpKey: undefined,
      otpSecret: undefined,
      baseUrl: OPTION_DEFAULTS.baseUrl,
      otpBaseUrl: OPTION_DEFAULTS.otpBaseUrl,
      defaultSender: 'SMS.',
      defaultCreditType: 'standard',
      timeoutMs: 10_000,
      maxTps: 120,
      maxConcurrency: 16,
      maxMessageParts: 10,
      retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 2000 },
    });
  });

  it('accepts OTP-only registrations and strips trailing slashes from URLs', () => {
    const resolved = resolveThaiBulkSmsOptions({ otpKey: 'k', otpSecret: 's', otpBaseUrl: 'http://127.0.0.1:4010/' });
    expect(resolved.otpBaseUrl).toBe('http://127.0.0.1:4010');
    expect(resolved.apiKey).toBeUndefined();
  });

  it.each([
    [{}, 'apiKey'],
    [{ apiKey: 'key' }, 'apiSecret'],
    [{ apiSecret: SECRET }, 'apiKey'],
    [{ otpKey: 'k' }, 'otpSecret'],
    [{ ...base, apiSecret: 42 }, 'apiSecret'],
    [{ ...base, baseUrl: 'ftp://x' }, 'baseUrl'],
    [{ ...base, otpBaseUrl: 'not a url' }, 'otpBaseUrl'],
    [{ ...base, timeoutMs: 0 }, 'timeoutMs'],
    [{ ...base, timeoutMs: '100' }, 'timeoutMs'],
    [{ ...base, maxTps: -1 }, 'maxTps'],
    [{ ...base, maxConcurrency: 0 }, 'maxConcurrency'],
    [{ ...base, maxMessageParts: 1.5 }, 'maxMessageParts'],
    [{ ...base, defaultCreditType: 'premium' }, 'defaultCreditType'],
    [{ ...base, defaultSender: 'A-very-long-sender' }, 'defaultSender'],
    [{ ...base, retry: { retries: -1 } }, 'retry.retries'],
  ])('refuses %j naming %s', (options, field) => {
    const error = errorOf(options);
    expect(error).toBeInstanceOf(ThaiBulkSmsOptionsError);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).not.toContain(SECRET);
  });

  it('never quotes a secret back', () => {
    expect(errorOf({ apiKey: 'key', apiSecret: '   ' }).message).not.toMatch(/got/);
    expect(errorOf({ apiKey: SECRET }).message).not.toContain(SECRET);
  });

  it.each([
    [{ ...base, timeoutMS: 500 }, 'timeoutMS', 'did you mean "timeoutMs"?'],
    [{ ...base, maxTPS: 10 }, 'maxTPS', 'did you mean "maxTps"?'],
    [{ ...base, defaultSendr: 'Demo' }, 'defaultSendr', 'did you mean "defaultSender"?'],
    [{ ...base, sender: 'Demo' }, 'sender', 'unknown option'],
    [{ ...base, retry: { retires: 1 } }, 'retry.retires', 'did you mean "retry.retries"?'],
  ])('refuses the unknown key of %j, naming it', (options, field, hint) => {
    const error = errorOf(options);
    expect(error).toBeInstanceOf(ThaiBulkSmsOptionsError);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).toContain(hint);
  });

  it.each(['isGlobal', 'name', 'transport'])('says where %s belongs when a factory returns it', (extra) => {
    const error = errorOf({ ...base, [extra]: extra === 'isGlobal' ? true : 'x' });
    expect(error.field).toBe(extra);
    expect(error.message).toMatch(/top level of forRootAsync/);
  });

  it('never quotes the value of an unknown key (it may be a secret under a misspelt name)', () => {
    const error = errorOf({ apiKey: 'key', apiSecret: 's', apiSecrett: SECRET });
    expect(error.field).toBe('apiSecrett');
    expect(error.message).not.toContain(SECRET);
  });

  it.each([
    ['ftp://user:SECRETPASS@example.com', 'ftp://***@example.com'],
    ['http://user:SECRETPASS@exa mple.com', 'http://***@exa mple.com'],
    ['http://user:SECRET/PASS@host', 'http://***@host'],
    ['user:SECRETPASS@host', '***@host'],
  ])('strips credentials from a quoted URL: %s', (baseUrl, shown) => {
    const error = errorOf({ ...base, baseUrl });
    expect(error.field).toBe('baseUrl');
    expect(error.message).not.toMatch(/SECRET|PASS|user/);
    expect(error.message).toContain(JSON.stringify(shown));
  });

  it('refuses a missing options object', () => {
    expect(errorOf(undefined).field).toBe('options');
  });
});
