import { OptionsReader, OptionsReaderSettings } from './options-reader';
import { ThaiBulkSmsOptionsError, ThaiBulkSmsQueueOptionsError } from './options.errors';

const SETTINGS: OptionsReaderSettings = {
  error: ThaiBulkSmsQueueOptionsError,
  secrets: ['password'],
  extras: ['isGlobal'],
  factoryMethod: 'createThaiBulkSmsQueueOptions',
};

function refusal(read: () => unknown): ThaiBulkSmsOptionsError {
  try {
    read();
  } catch (error) {
    if (error instanceof ThaiBulkSmsOptionsError) return error;
    throw error;
  }
  throw new Error('expected the options to be refused');
}

describe('OptionsReader', () => {
  const reader = (values: unknown) => OptionsReader.of(values, SETTINGS);

  it("throws the module's options error, naming the module and the field", () => {
    const error = refusal(() => reader({ concurrency: 0 }).int('concurrency', 16, 1));
    expect(error).toBeInstanceOf(ThaiBulkSmsQueueOptionsError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ name: 'ThaiBulkSmsQueueOptionsError', field: 'concurrency' });
    expect(error.message).toBe('ThaiBulkSmsQueueModule: invalid option "concurrency": must be an integer >= 1 (got 0)');
  });

  it('refuses an unknown key with the closest known one, and an extra with where it belongs', () => {
    expect(refusal(() => reader({ concurency: 4 }).known(['concurrency', 'prefix'])).message).toContain(
      'unknown option (did you mean "concurrency"?); known: concurrency, prefix',
    );
    expect(refusal(() => reader({ isGlobal: true }).known(['prefix'])).message).toMatch(
      /extra of the registration: give it at the top level of forRootAsync.*createThaiBulkSmsQueueOptions/,
    );
  });

  it('names nested fields with their path, and hints with it', () => {
    const nested = reader({ backoff: { delay: 5 } }).object('backoff');
    expect(refusal(() => nested.known(['type', 'delayMs']))).toMatchObject({ field: 'backoff.delay' });
    expect(refusal(() => reader({ backoff: 3 }).object('backoff'))).toMatchObject({ field: 'backoff' });
  });

  it('never quotes a secret, an unknown key or what comes before an @', () => {
    expect(refusal(() => reader({ password: 42 }).optionalString('password')).message).not.toMatch(/got|42/);
    expect(refusal(() => reader({ passwrd: 'hunter2' }).known(['password'])).message).not.toContain('hunter2');
    const url = refusal(() => reader({ url: 'ftp://user:hunter2@example.com' }).httpUrl('url', 'https://x'));
    expect(url.message).toContain('"ftp://***@example.com"');
    expect(url.message).not.toContain('hunter2');
  });

  it('reads ranges, booleans and names', () => {
    expect(reader({}).int('n', 5, 1, 10)).toBe(5);
    expect(refusal(() => reader({ n: 11 }).int('n', 5, 1, 10)).message).toContain('must be an integer from 1 to 10');
    expect(refusal(() => reader({ on: 'yes' }).bool('on', true)).message).toContain('must be a boolean (got "yes")');
    expect(refusal(() => reader({ mode: 'loose' }).oneOf('mode', 'warn', ['strict', 'warn', 'off'])).message).toContain(
      "must be 'strict', 'warn' or 'off'",
    );
    expect(reader({ url: 'http://127.0.0.1:4010/' }).httpUrl('url', 'https://x')).toBe('http://127.0.0.1:4010');
  });

  it('refuses options that are not an object', () => {
    expect(refusal(() => OptionsReader.of(null, SETTINGS))).toMatchObject({ field: 'options' });
    expect(refusal(() => OptionsReader.of(undefined, SETTINGS, { required: true }))).toMatchObject({
      field: 'options',
    });
    expect(OptionsReader.of(undefined, SETTINGS).value('x')).toBeUndefined();
  });
});
