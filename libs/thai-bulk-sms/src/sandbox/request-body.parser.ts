import { IncomingMessage } from 'node:http';
import { SANDBOX_MAX_BODY_BYTES } from './sandbox.constants';

/** Fields of a request body: strings from a form, anything from JSON. */
export type BodyFields = Readonly<Record<string, unknown>>;

export type ParsedBody =
  { readonly ok: true; readonly fields: BodyFields } | { readonly ok: false; readonly reason: string };

/**
 * Reads the whole body as text. Above the cap it stops keeping chunks but still drains the
 * request, so the caller can answer ERROR_FORM instead of resetting the connection.
 */
export function readBody(req: IncomingMessage, maxBytes = SANDBOX_MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBytes) reject(new RangeError(`body larger than ${maxBytes} bytes`));
      else resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * The real API takes form-urlencoded (what the vendor's newest client sends) and JSON. Without a
 * content type the text decides: a body that starts with `{` is JSON.
 */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  const type = (contentType ?? '').toLowerCase();
  const looksJson = type.includes('json') || (!type.includes('form') && text.trimStart().startsWith('{'));
  if (looksJson) return parseJson(text);
  return { ok: true, fields: parseForm(text) };
}

function parseJson(text: string): ParsedBody {
  if (text.trim() === '') return { ok: true, fields: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { ok: false, reason: 'JSON body is not an object' };
    return { ok: true, fields: value as BodyFields };
  } catch {
    return { ok: false, reason: 'JSON body does not parse' };
  }
}

/** A repeated key (`tag=a&tag=b`) becomes a list, as a JSON array would. */
function parseForm(text: string): BodyFields {
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = fields[key];
    if (previous === undefined) fields[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else fields[key] = [previous, value];
  }
  return fields;
}

/** A field as text: a string, or a number a JSON client sent; anything else is not text. */
export function textField(fields: BodyFields, name: string): string | undefined | null {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A list field: a JSON array, a repeated form key, or one comma-joined string. */
export function listField(fields: BodyFields, name: string): string[] | undefined | null {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
    else if (typeof item === 'string') {
      for (const piece of item.split(',')) out.push(piece);
    } else return null;
  }
  return out;
}
