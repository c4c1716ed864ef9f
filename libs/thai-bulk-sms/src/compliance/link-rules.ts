import { domainToASCII } from 'node:url';

export type LinkVerdict = 'allowed' | 'shortener' | 'unregistered';

/**
 * Which link hosts a message may carry. `allowedLinkHosts` entries are exact hosts
 * (`example.co.th`; `www.example.co.th` goes with it) or `*.example.co.th` for every subdomain
 * of it (not the apex: list it too). Shorteners are refused whatever the allow-list says.
 */
export class LinkRules {
  private readonly exact = new Set<string>();
  private readonly wildcards = new Set<string>();
  private readonly shorteners: ReadonlySet<string>;

  constructor(allowedHosts: readonly string[], shortenerHosts: readonly string[]) {
    for (const entry of allowedHosts) {
      const pattern = normaliseHostPattern(entry);
      if (pattern === undefined) throw new RangeError(`not a host name: ${JSON.stringify(entry)}`);
      if (pattern.startsWith('*.')) this.wildcards.add(pattern.slice(2));
      else this.exact.add(pattern);
    }
    this.shorteners = new Set(shortenerHosts.map((host) => normaliseHostPattern(host) ?? host));
  }

  verdict(host: string): LinkVerdict {
    if (this.isShortener(host)) return 'shortener';
    return this.isAllowed(host) ? 'allowed' : 'unregistered';
  }

  isShortener(host: string): boolean {
    for (let suffix: string | undefined = host; suffix; suffix = parentOf(suffix)) {
      if (this.shorteners.has(suffix)) return true;
    }
    return false;
  }

  private isAllowed(host: string): boolean {
    if (this.exact.has(host)) return true;
    if (host.startsWith('www.') && this.exact.has(host.slice(4))) return true;
    for (let parent = parentOf(host); parent; parent = parentOf(parent)) {
      if (this.wildcards.has(parent)) return true;
    }
    return false;
  }
}

function parentOf(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot < 0 ? undefined : host.slice(dot + 1);
}

const HOST_PATTERN = /^(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/;

/**
 * `*.Example.CO.th`, `ตัวอย่าง.ไทย.` → `*.example.co.th`, `xn--…`: lower case, IDN as punycode,
 * no trailing dot; undefined for anything but a host name with a dot (a URL, a path, a port).
 */
export function normaliseHostPattern(entry: unknown): string | undefined {
  if (typeof entry !== 'string') return undefined;
  const trimmed = entry.trim().replace(/\.$/, '');
  const wildcard = trimmed.startsWith('*.');
  const ascii = domainToASCII(wildcard ? trimmed.slice(2) : trimmed);
  if (ascii === '') return undefined;
  const pattern = `${wildcard ? '*.' : ''}${ascii}`;
  return HOST_PATTERN.test(pattern) ? pattern : undefined;
}
