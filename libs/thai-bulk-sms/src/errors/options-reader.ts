import { ThaiBulkSmsOptionsError } from './options.errors';

/** The error class of one module's options (its name and message name the module). */
export type OptionsErrorClass = new (field: string, reason: string) => ThaiBulkSmsOptionsError;

export interface OptionsReaderSettings {
  /** The module's options error. */
  readonly error: OptionsErrorClass;
  /** Fields whose values are never quoted back: credentials, connection strings. */
  readonly secrets?: readonly string[];
  /** Extras of the registration (`isGlobal`, `name`…): refused with where they belong. */
  readonly extras?: readonly string[];
  /** The `forRootAsync` factory method's name, for that hint. */
  readonly factoryMethod?: string;
}

/** Longest value quoted back in a message. */
const MAX_QUOTED = 60;

/**
 * Reads one options object for a module: typed getters with defaults and bounds, unknown keys
 * refused with the closest known one as a hint, and every refusal the module's options error
 * naming the field. Values are quoted back bounded, with anything before an `@` hidden (a URL may
 * carry a password), and never for a secret field or an unknown key (it may be a misspelt secret).
 */
export class OptionsReader {
  private constructor(
    private readonly values: Readonly<Record<string, unknown>>,
    private readonly settings: OptionsReaderSettings,
    private readonly prefix: string,
  ) {}

  /** A reader of `input`, which must be an object; `undefined` reads as `{}` unless `required`. */
  static of(input: unknown, settings: OptionsReaderSettings, { required = false } = {}): OptionsReader {
    if (input === undefined && !required) return new OptionsReader({}, settings, '');
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new settings.error('options', 'must be an object');
    return new OptionsReader(input as Record<string, unknown>, settings, '');
  }

  /** The raw value of a field. */
  value(field: string): unknown {
    return this.values[field];
  }

  /** Throws the module's options error for `field` of this object. */
  fail(field: string, reason: string): never {
    throw new this.settings.error(this.prefix + field, reason);
  }

  /** ` (got …)` for a message about `field`, or nothing for a secret field. */
  got(field: string, value: unknown): string {
    if (this.settings.secrets?.includes(this.prefix + field)) return '';
    return ` (got ${quoted(value)})`;
  }

  /** Refuses every key not in `known`: an extra with where it belongs, anything else with a hint. */
  known(keys: readonly string[]): this {
    const { extras = [], factoryMethod = 'its factory method' } = this.settings;
    for (const key of Object.keys(this.values)) {
      if (keys.includes(key)) continue;
      if (this.prefix === '' && extras.includes(key)) {
        this.fail(
          key,
          `is not an option but an extra of the registration: give it at the top level of forRootAsync({ ${key}, useFactory, … }), not in what useFactory (or ${factoryMethod}) returns`,
        );
      }
      const near = closest(key, keys);
      this.fail(
        key,
        `unknown option${near ? ` (did you mean "${this.prefix}${near}"?)` : ''}; known: ${keys.join(', ')}`,
      );
    }
    return this;
  }

  /** An integer from `min` (to `max`), or `fallback` when absent. */
  int(field: string, fallback: number, min: number, max?: number): number {
    const value = this.values[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
      const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
      this.fail(field, `must be an integer ${range}${this.got(field, value)}`);
    }
    return value;
  }

  /** A finite number of at least `min`, or `fallback` when absent; `note` says what a value means. */
  number(field: string, fallback: number, min: number, note = ''): number {
    const value = this.values[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
      this.fail(field, `must be a number >= ${min}${note}${this.got(field, value)}`);
    return value;
  }

  bool(field: string, fallback: boolean): boolean {
    const value = this.values[field] ?? fallback;
    if (typeof value !== 'boolean') this.fail(field, `must be a boolean${this.got(field, value)}`);
    return value;
  }

  /** One of `allowed`, or `fallback` when absent. */
  oneOf<T extends string>(field: string, fallback: T, allowed: readonly T[]): T {
    const value = this.values[field] ?? fallback;
    if (!allowed.includes(value as T)) {
      const names = allowed.map((a) => `'${a}'`);
      const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
      this.fail(field, `must be ${list}${this.got(field, value)}`);
    }
    return value as T;
  }

  /** A non-empty string, or undefined when absent, null or `''`. */
  optionalString(field: string): string | undefined {
    const value = this.values[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' || value.trim() === '')
      this.fail(field, `must be a non-empty string${this.got(field, value)}`);
    return value;
  }

  /** An absolute http(s) URL without its trailing slashes, or `fallback` when absent. */
  httpUrl(field: string, fallback: string): string {
    const value = this.optionalString(field) ?? fallback;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
      this.fail(field, `must be an absolute http(s) URL${this.got(field, value)}`);
    // A trailing slash would double up with the paths ("//sms").
    return value.replace(/\/+$/, '');
  }

  /** A reader of the object `field` (its fields named `field.x`), or of `fallback` when absent. */
  object(field: string, shape = 'an object', fallback: object = {}): OptionsReader {
    const value = this.values[field] ?? fallback;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(field, `must be ${shape}${this.got(field, value)}`);
    return new OptionsReader(value as Record<string, unknown>, this.settings, `${this.prefix}${field}.`);
  }
}

/**
 * A value for a message: bounded, anything before an `@` hidden (`https://user:pass@host` →
 * `https://***@host`, parsable or not), objects named rather than read.
 */
function quoted(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(withoutUserinfo(value).slice(0, MAX_QUOTED));
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function withoutUserinfo(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const scheme = value.indexOf('//');
  const from = scheme >= 0 && scheme < at ? scheme + 2 : 0;
  return `${value.slice(0, from)}***${value.slice(at)}`;
}

/** The known key a typo most likely meant: same letters in another case, or at most 2 edits away. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
