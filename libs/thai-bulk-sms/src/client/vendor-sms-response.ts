import { badResponse, isObject } from './vendor-response.mapper';

/** The vendor's success body of POST /sms, checked for shape but kept snake_case. */
export interface VendorSmsResponse {
  readonly remaining_credit: number;
  readonly total_use_credit: number;
  readonly credit_type: string;
  readonly phone_number_list: readonly {
    readonly number: string;
    readonly message_id: string;
    readonly used_credit: number;
  }[];
  readonly bad_phone_number_list: readonly { readonly number: string; readonly message: string }[];
}

/**
 * Checks the lists are arrays and the totals numbers. The entries are not copied: the bulk path
 * reads 500 of them per chunk, and in summary mode only counts them.
 */
export function readSmsResponse(body: Record<string, unknown>, status: number): VendorSmsResponse {
  const accepted = body.phone_number_list ?? [];
  const rejected = body.bad_phone_number_list ?? [];
  if (!Array.isArray(accepted) || !Array.isArray(rejected))
    throw badResponse(status, 'a send body without phone lists');
  for (const item of accepted) {
    if (!isObject(item) || typeof item.message_id !== 'string')
      throw badResponse(status, 'a send body with an unreadable phone entry');
  }
  return {
    remaining_credit:
      typeof body.remaining_credit === 'number' ? body.remaining_credit : Number(body.remaining_credit) || 0,
    total_use_credit:
      typeof body.total_use_credit === 'number' ? body.total_use_credit : Number(body.total_use_credit) || 0,
    credit_type: typeof body.credit_type === 'string' ? body.credit_type : 'standard',
    phone_number_list: accepted as VendorSmsResponse['phone_number_list'],
    bad_phone_number_list: rejected as VendorSmsResponse['bad_phone_number_list'],
  };
}
