import { ThaiBulkSmsError } from '../errors';
import { maskPhone } from '../phone';
import type { Operation } from './thai-bulk-sms.client';

export function errorNameOf(error: unknown): string {
  return error instanceof ThaiBulkSmsError ? error.errorName : error instanceof Error ? error.name : 'unknown error';
}

/**
 * `POST /sms [3 numbers: 081xxxx678, ...]`: the first number only, masked, and a count — enough
 * to trace a request, nothing to leak. Built for every request without asking the logger whether
 * it prints debug lines (Nest has no public way to ask), so it stays cheap: a number in the
 * library's own `66XXXXXXXXX` form is masked by slicing.
 */
export function describeRequest({
  method,
  path,
  numbers,
}: Pick<Operation<unknown>, 'method' | 'path' | 'numbers'>): string {
  if (!numbers) return `${method} ${path}`;
  const comma = numbers.indexOf(',');
  if (comma < 0) return `${method} ${path} [${maskNumber(numbers)}]`;
  let count = 1;
  for (let i = comma; i >= 0; i = numbers.indexOf(',', i + 1)) count++;
  return `${method} ${path} [${count} numbers: ${maskNumber(numbers.slice(0, comma))}, ...]`;
}

/** The library's own form of a number on a mobile prefix (as phone/common-mobile.ts reads them). */
const MSISDN = /^66(?:6[1-6]|[89]\d)\d{7}$/;

/** maskPhone's answer, by slicing for a number in the library's own form (`081xxxx678`). */
function maskNumber(number: string): string {
  return MSISDN.test(number) ? `0${number.slice(2, 4)}xxxx${number.slice(8)}` : maskPhone(number);
}
