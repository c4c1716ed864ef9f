import { parseThaiMobile } from '../phone/thai-phone';
import { SandboxMessage } from './sandbox.types';

/** Messages per page of the inbox and of `GET /__sandbox/messages` when `limit` is not given. */
export const INBOX_PAGE_SIZE = 200;

export interface MessageQuery {
  /** Exact number, in any Thai form. */
  readonly phone?: string;
  /** Substring of the number (any form: `0812`, `66812`, `081-234`) or of the text, Thai included. */
  readonly q?: string;
  readonly offset: number;
  readonly limit: number;
}

/** One page of the matching messages, newest first; `total` counts every match. */
export interface MessagePage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly messages: SandboxMessage[];
}

/** The query of `GET /__sandbox/messages`: `phone`, `q`, `offset`, `limit` (bad numbers fall back to defaults). */
export function readMessageQuery(params: URLSearchParams): MessageQuery {
  const phone = params.get('phone')?.trim();
  const q = params.get('q')?.trim();
  return {
    ...(phone && { phone }),
    ...(q && { q }),
    offset: whole(params.get('offset'), 0, 0),
    limit: whole(params.get('limit'), INBOX_PAGE_SIZE, 1),
  };
}

/** Filters `oldestFirst` by the query and cuts the page, newest first. */
export function searchMessages(oldestFirst: readonly SandboxMessage[], query: MessageQuery): MessagePage {
  const byPhone = query.phone === undefined ? undefined : normalisedPhone(query.phone);
  const matches = matcher(query.q);
  const newestFirst: SandboxMessage[] = [];
  for (let i = oldestFirst.length - 1; i >= 0; i--) {
    const message = oldestFirst[i];
    if ((byPhone === undefined || message.phone === byPhone) && matches(message)) newestFirst.push(message);
  }
  return {
    total: newestFirst.length,
    offset: query.offset,
    limit: query.limit,
    messages: newestFirst.slice(query.offset, query.offset + query.limit),
  };
}

function normalisedPhone(phone: string): string {
  const parsed = parseThaiMobile(phone);
  return parsed.valid ? parsed.msisdn : phone;
}

/**
 * A case-insensitive substring test over the text (Thai has no case and matches as typed), and
 * over the number in both its forms (`66812345678` and `0812345678`) with the separators people
 * type (`+`, spaces, dashes, dots, parentheses) left out.
 */
function matcher(q: string | undefined): (message: SandboxMessage) => boolean {
  if (q === undefined) return () => true;
  const text = q.toLowerCase();
  const digits = q.replace(/[\s+\-.()]/g, '');
  const isNumber = /^\d+$/.test(digits);
  return (message) =>
    message.message.toLowerCase().includes(text) ||
    (isNumber && (message.phone.includes(digits) || `0${message.phone.slice(2)}`.includes(digits)));
}

function whole(raw: string | null, fallback: number, min: number): number {
  const value = raw === null ? NaN : Number(raw);
  return Number.isInteger(value) && value >= min ? value : fallback;
}
