import { IncomingMessage } from 'node:http';
import { parseThaiMobile } from '../phone/thai-phone';
import { maskUrlSecrets } from './delivery.targets';
import { INBOX_PAGE_HTML } from './inbox.page';
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
  messages(filter?: { phone?: string }): SandboxMessage[];
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
const DEFAULT_LIMIT = 200;

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
  switch (path.slice(SANDBOX_ADMIN_PREFIX.length)) {
    case 'messages': {
      const phone = params.get('phone');
      const normalised = phone ? parseThaiMobile(phone) : undefined;
      const filter = phone ? { phone: normalised?.valid ? normalised.msisdn : phone } : undefined;
      const all = source.messages(filter);
      const messages = newestFirst(all, limit).map((m) =>
        m.callbackUrl === undefined ? m : { ...m, callbackUrl: maskUrlSecrets(m.callbackUrl) },
      );
      return jsonResponse(200, { total: all.length, messages });
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

/** A logged request with its callback URL masked (a webhook token rides in it). */
function withMaskedCallback(request: SandboxRequest): SandboxRequest {
  const callback = request.fields?.callback_url;
  if (typeof callback !== 'string') return request;
  return { ...request, fields: { ...request.fields, callback_url: maskUrlSecrets(callback) } };
}

function readLimit(raw: string | null): number {
  const value = raw === null ? DEFAULT_LIMIT : Number(raw);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_LIMIT;
}

function newestFirst<T>(items: readonly T[], limit: number): T[] {
  const out: T[] = [];
  for (let i = items.length - 1; i >= 0 && out.length < limit; i--) out.push(items[i]);
  return out;
}
