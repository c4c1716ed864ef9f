import { applyDecorators } from '@nestjs/common';
import { Expose, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidationArguments,
} from 'class-validator';

/**
 * Decorators for one environment variable each, on the variables class of a configuration
 * namespace (see `configNamespace`). Values arrive trimmed, and an empty one as unset, so a field's
 * initializer is its default. Each names the variable and what it accepts in its message; only the
 * numbers and choices echo what was given, never a string that may be a secret.
 */

/** A string as given (credentials, host names): any non-empty value. */
export const EnvString = (): PropertyDecorator => applyDecorators(Expose(), IsOptional(), IsString());

/** A string of at most `max` characters. */
export const EnvMaxLength = (max: number): PropertyDecorator =>
  applyDecorators(
    EnvString(),
    MaxLength(max, { message: ({ property }) => `${property} must be at most ${max} characters.` }),
  );

/** A string matching `pattern`; `accepted` says in words what matches (the value itself is never shown). */
export const EnvMatches = (pattern: RegExp, accepted: string): PropertyDecorator =>
  applyDecorators(EnvString(), Matches(pattern, { message: ({ property }) => `${property} must be ${accepted}.` }));

/** A whole number from `min` to `max`. */
export function EnvInt(min: number, max: number): PropertyDecorator {
  const message = ({ property, value }: ValidationArguments) =>
    `${property} must be a whole number from ${min} to ${max} (got "${String(value)}").`;
  return applyDecorators(
    Expose(),
    // A number only when it is one; anything else stays as given, for the message.
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && isWholeNumber(value) ? Number(value) : value,
    ),
    IsOptional(),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
}

const isWholeNumber = (value: string): boolean => /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value));

/** `true`/`false` (also `1`/`0`, any case). */
export const EnvBool = (): PropertyDecorator =>
  applyDecorators(
    Expose(),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (BOOLEANS[value.toLowerCase()] ?? value) : value,
    ),
    IsOptional(),
    IsBoolean({ message: ({ property }) => `${property} must be "true" or "false".` }),
  );

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

/** One of `allowed`, exactly. */
export const EnvOneOf = (allowed: readonly string[]): PropertyDecorator =>
  applyDecorators(
    EnvString(),
    IsIn(allowed, {
      message: ({ property, value }) =>
        `${property} must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got "${String(value)}").`,
    }),
  );

/** An http:// or https:// URL, as Node's URL parser reads it. */
export const EnvHttpUrl = (): PropertyDecorator =>
  EnvChecked((value, property) => (isHttpUrl(value) ? undefined : `${property} must be an http(s) URL.`));

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * A value `check` accepts: it returns undefined, or what is wrong, in words that never repeat a
 * secret (REDIS_URL: the library's parser masks the password).
 */
export const EnvChecked = (check: (value: string, property: string) => string | undefined): PropertyDecorator =>
  applyDecorators(
    EnvString(),
    ValidateBy({
      name: 'envChecked',
      validator: {
        validate: (value: unknown, args) =>
          typeof value === 'string' && check(value, args?.property ?? '') === undefined,
        defaultMessage: ({ value, property }: ValidationArguments) =>
          (typeof value === 'string' ? check(value, property) : undefined) ?? `${property} is not valid.`,
      },
    }),
  );
