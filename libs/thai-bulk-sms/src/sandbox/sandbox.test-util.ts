import { ERROR_CATALOGUE, VendorErrorName } from '../errors/error-catalogue';
import { SandboxClock } from './sandbox.types';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/** Helpers for the sandbox specs: real HTTP to the sandbox, nothing mocked. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function basicAuth(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

export type Fields = Record<string, string | number | boolean | string[] | undefined>;

/** POST /sms as form-urlencoded (what our client sends) unless `json` is set. */
export function postSms(
  sandbox: ThaiBulkSmsSandbox,
  fields: Fields,
  opts: { json?: boolean; auth?: string | null } = {},
): Promise<HttpAnswer> {
  const { apiKey, apiSecret } = sandbox.credentials;
  const headers: Record<string, string> = {};
  const auth = opts.auth === undefined ? basicAuth(apiKey, apiSecret) : opts.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string;
  if (opts.json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(fields);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      form.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    body = form.toString();
  }
  return call(`${sandbox.url}/sms`, { method: 'POST', headers, body });
}

export function postJson(url: string, body: unknown): Promise<HttpAnswer> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A clock the test moves by hand. */
export class FakeClock implements SandboxClock {
  constructor(public time = Date.UTC(2025, 0, 15, 3, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export const SEND = Object.freeze({ msisdn: '0812345678', message: 'Hello', sender: 'SMS.' });

/** The vendor's error envelope, pinned to the catalogue: status, code and description. */
export function expectVendorError(answer: { status: number; json: any }, name: VendorErrorName): void {
  const entry: { status: number; description: string; code?: number } = ERROR_CATALOGUE[name];
  expect(answer.status).toBe(entry.status);
  expect(answer.json).toEqual({ error: { code: entry.code ?? entry.status, name, description: entry.description } });
}
