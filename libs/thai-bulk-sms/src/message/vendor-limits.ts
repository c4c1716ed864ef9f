/**
 * The vendor's limits and the few choices we made where it publishes none. They sit on the ground
 * floor because the client and the sandbox must both enforce them, and the sandbox may import
 * nothing above `errors/`, `phone/` and `message/`.
 */

/** Credit pool a send is charged to (`force`). */
export type CreditType = 'standard' | 'corporate';

/** The vendor's limit of numbers in one POST /sms. */
export const MAX_RECIPIENTS_PER_REQUEST = 500;
/** The vendor's limit of requests per second per account. */
export const DEFAULT_MAX_TPS = 120;
/** Our documented cap behind ERROR_MESSAGE_TOO_LONG (the vendor publishes none). */
export const DEFAULT_MAX_MESSAGE_PARTS = 10;
/** Our documented tag limits (the vendor publishes none; the sandbox applies the same). */
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 50;
/** Longest sender name: an alphanumeric sender id carries at most 11 characters. */
export const MAX_SENDER_LENGTH = 11;
