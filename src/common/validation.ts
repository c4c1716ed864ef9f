import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { ThaiBulkSmsValidationPipe } from '@app/thai-bulk-sms';
import { MAX_RECIPIENTS_PER_REQUEST } from '@app/thai-bulk-sms/helpers';
import { ApiException } from './api-error';

/** The vendor's limit of numbers in one send. */
export const MAX_RECIPIENTS_PER_SEND = MAX_RECIPIENTS_PER_REQUEST;

/** Deeper bodies are refused before class-transformer walks them (it recurses without a limit). */
export const MAX_BODY_DEPTH = 32;

/**
 * ValidationPipe plus the checks it misses on a DTO body, found by fuzzing (test/reliability):
 * - a body that is an array or a scalar is refused (a deeply nested array overflowed the stack
 *   in class-transformer: a 500);
 * - an unknown key is refused even when it is named like an Object.prototype member
 *   (`__proto__`, `constructor`, `hasOwnProperty`, `toString`…): the whitelist let those through
 *   and the request was sent;
 * - nesting deeper than MAX_BODY_DEPTH is refused.
 */
class AppValidationPipe extends ThaiBulkSmsValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      metadata.metatype &&
      this.toValidate(metadata) &&
      value !== undefined &&
      value !== null
    ) {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new ApiException(400, 'ERROR_FORM', 'The request body must be a JSON object.');
      const allowed = allowedProperties(metadata.metatype);
      const unknown = Object.keys(value).find((key) => !allowed.has(key));
      if (unknown !== undefined) throw new ApiException(400, 'ERROR_FORM', `property ${unknown} should not exist`);
      if (deeperThan(value, MAX_BODY_DEPTH))
        throw new ApiException(400, 'ERROR_FORM', `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
    }
    return super.transform(value, metadata);
  }
}

const allowedCache = new WeakMap<object, ReadonlySet<string>>();
function allowedProperties(metatype: abstract new (...args: never[]) => unknown): ReadonlySet<string> {
  let allowed = allowedCache.get(metatype);
  if (!allowed) {
    allowed = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(metatype, '', true, false)
        .map((m) => m.propertyName),
    );
    allowedCache.set(metatype, allowed);
  }
  return allowed;
}

/** Iterative, so a hostile body cannot overflow the stack here either. */
function deeperThan(root: object, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(value))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The app's ValidationPipe: the library's (strict whitelist, transformed DTOs, the vendor's error
 * names for the library's DTO fields, README "Errors") plus the checks above.
 */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({ stopAtFirstError: false });
}
