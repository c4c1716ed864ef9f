// The library's own imports of message/ go through this list; what users get is in the entry points.
export {
  gsm7Length,
  encodingOf,
  estimateMessage,
  GSM7_SINGLE_PART,
  GSM7_MULTI_PART,
  UCS2_SINGLE_PART,
  UCS2_MULTI_PART,
} from './message-encoding';
export type { MessageEncoding, MessageEstimate } from './message-encoding';
