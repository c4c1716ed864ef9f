import { IncomingMessage } from 'node:http';
import { maskUrlSecrets } from './delivery.targets';
import { INBOX_PAGE_HTML } from './inbox.page';
import { INBOX_PAGE_SIZE, readMessageQuery, searchMessages } from './inbox.query';
import { jsonResponse, SandboxResponse, vendorErrorResponse } from './sandbox.response';
import { SANDBOX_ADMIN_PREFIX } from './sandbox.constants';
import {
  SandboxCreditBalances,
  SandboxDeliveryReport,
  SandboxMessage,
  SandboxOtp,
  SandboxRequest,
  SandboxStats,
} from './sandbox.types';

/** What the sandbox-only endpoints read; the sandbox class provides it. */
export interface InboxSource {
  /** Oldest first. */
  messages(): SandboxMessage[];
  otps(): SandboxOtp[];
  /** The sandbox clock. */
  now(): number;
  credits(): SandboxCreditBalances;
  stats(): SandboxStats;
  deliveryReports(): SandboxDeliveryReport[];
  requests(): SandboxRequest[];
  reset(): void;
}

// The page builds its DOM with textContent only; the policy stops any injected script anyway.
const PAGE_HEADERS =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

export type AdminResponse = SandboxResponse & { readonly csp?: string };

export function isAdminPath(path: string): boolean {
  return path === '/' || path.startsWith(SANDBOX_ADMIN_PREFIX);
}

/**
 * The inbox page and its JSON endpoints. Newest first, capped by `limit` (default 200). They need
 * no authentication, so callback URLs are shown masked (maskUrlSecrets): a webhook token in one
 * is the app's secret.
 */
export function answerAdmin(source: InboxSource, req: IncomingMessage, path: string, query: string): AdminResponse {
  const method = req.method ?? 'GET';
  if (path === '/' && method === 'GET')
    return { status: 200, body: INBOX_PAGE_HTML, contentType: 'text/html; charset=utf-8', csp: PAGE_HEADERS };
  if (path === `${SANDBOX_ADMIN_PREFIX}reset` && method === 'POST') {
    source.reset();
    return jsonResponse(200, { reset: true });
  }
  if (method !== 'GET') return vendorErrorResponse('ERROR_METHOD_NOT_ALLOWED');
  const params = new URLSearchParams(query);
  const limit = readLimit(params.get('limit'));
  const endpoint = path.slice(SANDBOX_ADMIN_PREFIX.length);
  if (endpoint.startsWith(MESSAGE_PREFIX)) return messageDetail(source, endpoint.slice(MESSAGE_PREFIX.length));
  switch (endpoint) {
    case 'messages': {
      const page = searchMessages(source.messages(), readMessageQuery(params));
      return jsonResponse(200, { ...page, messages: page.messages.map(withMaskedMessage) });
    }
    case 'otps': {
      const all = source.otps();
      // The sandbox clock, not the browser's: with a test clock the countdown must agree with verify.
      return jsonResponse(200, { total: all.length, otps: newestFirst(all, limit), now: source.now() });
    }
    case 'credits':
      return jsonResponse(200, source.credits());
    case 'stats':
      return jsonResponse(200, source.stats());
    case 'delivery-reports': {
      const all = source.deliveryReports();
      const reports = newestFirst(all, limit).map((r) => ({ ...r, url: maskUrlSecrets(r.url) }));
      return jsonResponse(200, { total: all.length, reports });
    }
    case 'requests': {
      const all = source.requests();
      return jsonResponse(200, { total: all.length, requests: newestFirst(all, limit).map(withMaskedCallback) });
    }
    default:
      return vendorErrorResponse('ERROR_NOT_FOUND');
  }
}

const MESSAGE_PREFIX = 'messages/';

/** One message with the delivery reports the sandbox sent for it (oldest first) and the answers they got. */
function messageDetail(source: InboxSource, rawId: string): AdminResponse {
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return vendorErrorResponse('ERROR_NOT_FOUND');
  }
  const message = source.messages().find((m) => m.messageId === id);
  if (!message) return vendorErrorResponse('ERROR_NOT_FOUND');
  const deliveryReports = source.deliveryReports().filter((r) => r.messageId === id);
  return jsonResponse(200, {
    message: withMaskedMessage(message),
    deliveryReports: deliveryReports.map((r) => ({ ...r, url: maskUrlSecrets(r.url) })),
  });
}

/** A message with its callback URL masked (a webhook token rides in it). */
function withMaskedMessage(message: SandboxMessage): SandboxMessage {
  return message.callbackUrl === undefined ? message : { ...message, callbackUrl: maskUrlSecrets(message.callbackUrl) };
}

/** A logged request with its callback URL masked (a webhook token rides in it). */
function withMaskedCallback(request: SandboxRequest): SandboxRequest {
  const callback = request.fields?.callback_url;
  if (typeof callback !== 'string') return request;
  return { ...request, fields: { ...request.fields, callback_url: maskUrlSecrets(callback) } };
}

function readLimit(raw: string | null): number {
  const value = raw === null ? INBOX_PAGE_SIZE : Number(raw);
  return Number.isInteger(value) && value > 0 ? value : INBOX_PAGE_SIZE;
}

function newestFirst<T>(items: readonly T[], limit: number): T[] {
  const out: T[] = [];
  for (let i = items.length - 1; i >= 0 && out.length < limit; i--) out.push(items[i]);
  return out;
}
