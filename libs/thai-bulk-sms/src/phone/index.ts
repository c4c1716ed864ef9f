// The library's own imports of phone/ go through this list; what users get is in the entry points.
export {
  parseThaiMobile,
  toMsisdn,
  isThaiMobile,
  maskPhone,
  entryText,
  INVALID_PHONE_REASON,
  NOT_MOBILE_REASON,
} from './thai-phone';
export type { Msisdn, PhoneParseResult } from './thai-phone';
export { IsThaiMobile } from './is-thai-mobile.decorator';
