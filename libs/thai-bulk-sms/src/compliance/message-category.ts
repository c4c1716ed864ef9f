import { localVendorError } from '../errors';

/**
 * What a message is, for the sending rules: `otp` (one-time codes: never held back),
 * `transactional` (about something the recipient did or has: orders, alerts, reminders) or
 * `marketing` (promotion: opt-out line, marketing hours, the opt-out list).
 */
export type MessageCategory = 'otp' | 'transactional' | 'marketing';

export const MESSAGE_CATEGORIES: readonly MessageCategory[] = Object.freeze(['otp', 'transactional', 'marketing']);

/** The category a send asked for (`transactional` when it named none), or ERROR_FORM. */
export function messageCategoryOf(value: unknown): MessageCategory {
  if (value === undefined) return 'transactional';
  if (value === 'transactional' || value === 'marketing' || value === 'otp') return value;
  throw localVendorError('ERROR_FORM', "category must be 'otp', 'transactional' or 'marketing'.");
}
