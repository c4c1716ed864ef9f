/**
 * Every error name in the vendor's v2 table (see `docs/vendor/thaibulksms-api-v2.th.txt`, "Status Code & Error Code"),
 * with the HTTP status the vendor answers, its description word for word, and who has to act.
 *
 * `code` is filled only where public sources give the numeric code, and `codeSource` says how
 * sure that is (docs/vendor-api.md, "Send SMS"); the vendor's table itself lists no codes. Identify errors by name,
 * never by code. An error's `vendorCode` is only ever what the vendor's answer carried — never
 * one of these — so a code seen on an error is always the vendor's own word.
 */
export type ErrorCategory =
  /** The caller sent something wrong: fix the request. */
  | 'caller'
  /** Our account or configuration is wrong: an operator has to act (credentials, credit, IPs). */
  | 'account'
  /** The vendor is failing: retry later. */
  | 'upstream';

/**
 * Where a catalogue code comes from: `documented` by the vendor (its document or its own
 * clients), `observed` in independent clients, or only `inferred` from the codes around it.
 */
export type CatalogueCodeSource = 'documented' | 'observed' | 'inferred';

export interface CatalogueEntry {
  readonly status: number;
  readonly description: string;
  readonly category: ErrorCategory;
  /** The numeric code public sources give for the name; see `codeSource` before trusting it. */
  readonly code?: number;
  readonly codeSource?: CatalogueCodeSource;
}

const entry = (
  status: number,
  description: string,
  category: ErrorCategory,
  code?: number,
  codeSource?: CatalogueCodeSource,
): CatalogueEntry =>
  code === undefined ? { status, description, category } : { status, description, category, code, codeSource };

export const ERROR_CATALOGUE = {
  // NO_ERROR is in the vendor's table; an error envelope carrying it makes no sense, so if one
  // ever arrives we treat it as an upstream anomaly.
  NO_ERROR: entry(200, 'No Error.', 'upstream'),

  ERROR_FORM: entry(400, 'Form is invalid.', 'caller', 109, 'inferred'),
  ERROR_FORCE: entry(400, 'Force is invalid.', 'caller'),
  ERROR_SENDER: entry(400, 'Sender is invalid.', 'caller', 110, 'inferred'),
  ERROR_SENDER_NOT_FOUND: entry(400, 'Sender not found.', 'caller', 111, 'inferred'),
  ERROR_MESSAGE: entry(400, 'The message is invalid.', 'caller', 112, 'documented'),
  ERROR_MESSAGE_TOO_LONG: entry(400, 'The message is too long.', 'caller', 113, 'inferred'),
  ERROR_MSISDN: entry(400, 'MSISDN is invalid.', 'caller', 114, 'inferred'),
  ERROR_MSISDN_EXCEEDED_LIMIT: entry(400, 'MSISDN exceeded the limit.', 'caller', 115, 'observed'),
  // A 400 from the vendor, but the caller cannot fix it: the account has run out of credit.
  ERROR_INSUFFICIENT_CREDIT: entry(400, 'Insufficient credit.', 'account', 116, 'observed'),
  ERROR_CALLBACK_URL: entry(400, 'Callback Url is invalid.', 'caller'),
  ERROR_CALLBACK_METHOD: entry(400, 'You can choose callback method are GET, POST or PUT method.', 'caller'),
  ERROR_SCHEDULED_DELIVERY: entry(400, 'Scheduled delivery must be ISO-8601 (RFC-3339) format', 'caller'),
  ERROR_SCHEDULED_DELIVERY_TOO_FAR: entry(400, 'Scheduled delivery must be less than 1 year.', 'caller'),
  ERROR_SCHEDULED_DELIVERY_TIMEZONE: entry(
    400,
    'Scheduled delivery must be used Asia/Bangkok timezone (+07:00).',
    'caller',
  ),
  ERROR_TAGS: entry(400, 'Tags is invalid.', 'caller'),
  ERROR_TAGS_EXCEEDED_LENGTH: entry(400, 'Tags exceeded the limit.', 'caller'),
  ERROR_TAGS_EXIST: entry(400, 'Tags exist.', 'caller'),
  ERROR_CONFIGURATION: entry(400, 'Reload configuration failed.', 'account'),
  ERROR_ACC_ID: entry(400, 'acc_id is invalid.', 'account'),

  ERROR_AUTHENTICATION_FAILED: entry(401, 'Authentication failed.', 'account'),

  ERROR_API_KEY_SUSPENDED: entry(403, 'This API key has been suspended.', 'account'),
  ERROR_IP_SUSPENDED: entry(403, 'This IP has been suspended.', 'account'),
  ERROR_IP_NOT_ALLOWED: entry(403, 'This IP is not allowed.', 'account'),
  ERROR_USER_BLOCKED: entry(403, 'User has been blocked.', 'account'),
  ERROR_USER_TRIAL: entry(403, 'You are a trial member that can use the registered phone number only.', 'account'),
  ERROR_API_KEY_DISABLED: entry(403, 'This API key has been disabled.', 'account'),

  ERROR_NOT_FOUND: entry(404, 'Not Found.', 'account'),
  ERROR_USER_NOT_FOUND: entry(404, 'User not found.', 'account'),
  ERROR_USER_PROFILE_NOT_FOUND: entry(404, 'User profile not found.', 'account'),

  ERROR_METHOD_NOT_ALLOWED: entry(405, 'Method Not Allowed.', 'account'),

  ERROR_SYSTEM_FAILURE: entry(500, 'System Failure.', 'upstream', 1, 'documented'),
  ERROR_DB_FAILURE: entry(500, 'Database Failure.', 'upstream'),
  ERROR_DB_RECOVERING: entry(500, 'Database Recovering.', 'upstream'),
  ERROR_DB_RECOVERED_FAIL: entry(500, 'Database Recovered Failed.', 'upstream'),
  ERROR_QUEUE_FAILURE: entry(500, 'Queue Failure.', 'upstream'),
  ERROR_QUEUE_RECOVERING: entry(500, 'Queue Recovering.', 'upstream'),
  ERROR_QUEUE_RECOVERED_FAIL: entry(500, 'Queue Recovered Failed.', 'upstream'),
  ERROR_CACHE_FAILURE: entry(500, 'Cache Failure.', 'upstream'),
  ERROR_CACHE_RECOVERING: entry(500, 'Cache Recovering.', 'upstream'),
  ERROR_CACHE_RECOVERED_FAIL: entry(500, 'Cache Recovered Failed.', 'upstream'),
  ERROR_CONNECTION_TIMEOUT: entry(500, 'Connection Timeout.', 'upstream'),
  ERROR_CONNECTION_REFUSED: entry(500, 'Connection Refused.', 'upstream'),
  ERROR_CONNECTION_FAILURE: entry(500, 'Connection Failure.', 'upstream'),
  ERROR_JSON_MARSHAL: entry(500, 'JSON Marshal failed.', 'upstream'),
  ERROR_JSON_UNMARSHAL: entry(500, 'JSON Unmarshal failed.', 'upstream'),
  ERROR_GIN_VARIABLE_NOT_FOUND: entry(500, 'GIN variable not found.', 'upstream'),
  ERROR_QUERY_STRING: entry(500, 'Querystring values failed.', 'upstream'),
  ERROR_MAKE_REQUEST: entry(500, 'Cannot make request for request to client.', 'upstream'),
  ERROR_IO_BODY: entry(500, 'Cannot read response from client.', 'upstream'),
  ERROR_IP_WHITELIST: entry(500, 'IP Whitelist failed.', 'upstream'),
  ERROR_CREDIT_DEDUCT: entry(500, 'Cannot deduct credit.', 'upstream'),
  ERROR_TAGS_CREATE: entry(500, 'Cannot create new tags.', 'upstream'),
  ERROR_API_KEY_CREATE: entry(500, 'Cannot create new api_key.', 'upstream'),
  ERROR_SCHEDULED_DELIVERY_CREATE: entry(500, 'Cannot create scheduled delivery.', 'upstream'),
  ERROR_PUBLISH_OUTBOUND: entry(500, 'Cannot publish outbound SMS data.', 'upstream'),
} as const satisfies Record<string, CatalogueEntry>;

export type VendorErrorName = keyof typeof ERROR_CATALOGUE;

export const VENDOR_ERROR_NAMES = Object.freeze(Object.keys(ERROR_CATALOGUE) as VendorErrorName[]);

export function isVendorErrorName(name: unknown): name is VendorErrorName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, name);
}

/** The entry for a known name; for an unknown one, a category guessed from the HTTP status. */
export function describeError(name: string, status?: number): CatalogueEntry {
  if (isVendorErrorName(name)) return ERROR_CATALOGUE[name];
  return entry(status ?? 500, name, categoryForStatus(status));
}

export function categoryForStatus(status: number | undefined): ErrorCategory {
  // 429 (too many requests) and 5xx are the vendor's trouble, not a mistake in the request.
  if (status === undefined || status >= 500 || status === 429) return 'upstream';
  if (status === 401 || status === 403 || status === 404 || status === 405) return 'account';
  if (status >= 400) return 'caller';
  return 'upstream';
}
