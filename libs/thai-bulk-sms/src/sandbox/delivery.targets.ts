/**
 * Where the sandbox may send delivery reports: URL prefixes, each an origin (scheme, host, port)
 * and a path prefix. Without a list, anywhere: a stand-alone sandbox reports to the callback_url a
 * developer gave. An app's embedded sandbox lists only the app's own webhook, so a callback_url
 * aimed at another local port (a Redis, an admin page) is never called from inside the network.
 */
export class DeliveryTargets {
  private prefixes?: readonly URL[];

  constructor(targets: readonly string[] | undefined) {
    this.set(targets);
  }

  /** Replaces the list; undefined allows every URL. Throws RangeError for an entry that is not an http(s) URL. */
  set(targets: readonly string[] | undefined): void {
    this.prefixes = targets?.map(parseTarget);
  }

  allows(url: URL): boolean {
    if (!this.prefixes) return true;
    // `url` is parsed, so dot segments are resolved: /webhooks/../admin is /admin.
    return this.prefixes.some((p) => p.origin === url.origin && url.pathname.startsWith(p.pathname));
  }
}

function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new RangeError(`Sandbox option deliveryReportTargets: "${target}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RangeError(`Sandbox option deliveryReportTargets: "${target}" is not an http(s) URL`);
  return url;
}

/** A path segment that looks like a secret: 16 or more of the characters tokens are made of. */
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{16,}$/;

/**
 * A callback URL as the sandbox's inspection endpoints show it (they need no authentication):
 * the password, every query value and every token-like path segment replaced by `***`. Anything
 * that does not parse as a URL is shown as `<not a URL>`.
 */
export function maskUrlSecrets(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return '<not a URL>';
  }
  if (url.password) url.password = '***';
  for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, '***');
  if (url.hash) url.hash = '***';
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (TOKEN_SEGMENT.test(segment) ? '***' : segment))
    .join('/');
  return url.toString();
}
