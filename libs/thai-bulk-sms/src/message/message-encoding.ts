/**
 * How the vendor counts a message (docs/vendor-api.md, "Credits per message"): all GSM-7 text costs 1 credit up to 160
 * characters and 153 per part beyond; any other character makes the whole text UCS-2, 70 and 67.
 * GSM extension characters take two septets. UCS-2 counts UTF-16 code units, so an emoji
 * (a surrogate pair) counts 2.
 */
export type MessageEncoding = 'GSM-7' | 'UCS-2';

export interface MessageEstimate {
  readonly encoding: MessageEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  readonly length: number;
  /** SMS parts (1 for a short text, 0 for an empty one). */
  readonly parts: number;
  /** Credits for one recipient: one per part. */
  readonly creditsPerRecipient: number;
}

export const GSM7_SINGLE_PART = 160;
export const GSM7_MULTI_PART = 153;
export const UCS2_SINGLE_PART = 70;
export const UCS2_MULTI_PART = 67;

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ\u00a7¿abcdefghijklmnopqrstuvwxyzäöñüà'; // \u00a7: the section sign
const GSM7_EXTENSION = '^{}\\[~]|€\f';

// Lookup by UTF-16 code unit: 1 = basic, 2 = extension, 0 = not GSM-7.
const SEPTETS = buildSeptetTable();

function buildSeptetTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const ch of GSM7_BASIC) table[ch.charCodeAt(0)] = 1;
  for (const ch of GSM7_EXTENSION) table[ch.charCodeAt(0)] = 2;
  return table;
}

/** Septets the text needs in GSM-7, or -1 when it holds a character GSM-7 cannot carry. */
export function gsm7Length(text: string): number {
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const cost = SEPTETS[text.charCodeAt(i)];
    if (cost === 0) return -1;
    septets += cost;
  }
  return septets;
}

export function encodingOf(text: string): MessageEncoding {
  return gsm7Length(text) < 0 ? 'UCS-2' : 'GSM-7';
}

export function estimateMessage(text: string): MessageEstimate {
  const septets = gsm7Length(text);
  const encoding: MessageEncoding = septets < 0 ? 'UCS-2' : 'GSM-7';
  const length = septets < 0 ? text.length : septets;
  const [single, multi] =
    encoding === 'GSM-7' ? [GSM7_SINGLE_PART, GSM7_MULTI_PART] : [UCS2_SINGLE_PART, UCS2_MULTI_PART];
  const parts = length === 0 ? 0 : length <= single ? 1 : Math.ceil(length / multi);
  return { encoding, length, parts, creditsPerRecipient: parts };
}
