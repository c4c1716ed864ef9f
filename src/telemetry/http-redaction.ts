import type { IncomingMessage } from 'node:http';
import { DELIVERY_WEBHOOK_PATH } from '../delivery/delivery-url.service';

/** Paths the HTTP server instrumentation never traces: probes and scrapes would drown the traces. */
export const UNTRACED_PATHS: readonly string[] = ['/health', '/metrics'];

const WEBHOOK_PREFIX = `/${DELIVERY_WEBHOOK_PATH.replace(/^\/+|\/+$/g, '')}/`;

/** The path of a request URL, without its query. */
export function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0];
  return path === '' ? '/' : path;
}

/** Whether a request to `url` is left untraced (`/health`, `/metrics`, and anything under them). */
export function isUntraced(url: string | undefined): boolean {
  const path = pathOf(url).replace(/\/+$/, '') || '/';
  return UNTRACED_PATHS.some((untraced) => path === untraced || path.startsWith(`${untraced}/`));
}

/**
 * A request path fit for a span: the webhook's secret token and alert ids (a dedupe key is the
 * caller's text) become placeholders, and so does any segment with a run of 6 or more digits (a
 * phone number in a mistyped URL). Long paths are cut.
 */
export function redactPath(path: string): string {
  if (path.startsWith(WEBHOOK_PREFIX)) return `${WEBHOOK_PREFIX}:token`;
  const segments = path.split('/').map((segment, i, all) => {
    if (i === 2 && all[1] === 'alerts' && segment !== '') return ':id';
    return /\d{6}/.test(segment) || /%/.test(segment) ? ':redacted' : segment;
  });
  return segments.join('/').slice(0, 200);
}

/**
 * Attributes that replace what the HTTP instrumentation reads from the URL: the path redacted,
 * and the query (the GET webhook carries numbers in it) never recorded.
 */
export function redactedUrlAttributes(request: IncomingMessage): Record<string, string> {
  const url = request.url ?? '/';
  const attributes: Record<string, string> = { 'url.path': redactPath(pathOf(url)) };
  if (url.includes('?')) attributes['url.query'] = 'REDACTED';
  return attributes;
}
