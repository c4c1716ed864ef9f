import { domainToASCII } from 'node:url';
import { parse } from 'tldts';

/** Characters that render as nothing: a host broken up by them still reads (and links) as the host. */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
/** Dots IDNA reads as a full stop: `example。com` is `example.com`. */
const OTHER_DOTS = /[\u3002\uFF0E\uFF61]/g;
/** Nothing that could be a link: no dot and no `://`. */
const MAYBE_LINK = /[.\u3002\uFF0E\uFF61]|:\/\//;
const SCHEME = /[a-z][a-z0-9+.-]*:\/\//giu;
/** Dotted runs of letters, marks, digits and hyphens: candidate host names without a scheme. */
const DOTTED = /[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)+/gu;
/** Where an authority (after `://`) or a bare link ends. */
const LINK_END = /[\s<>"'`{}|^]/u;
const AUTHORITY_END = /[\s/?#\\<>"'`{}|^()]/u;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/u;
const THAI = /[\u0E00-\u0E7F]/u;
const ASCII_LABEL_CHAR = /[A-Za-z0-9-]/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const MAX_HOST_LENGTH = 253;

/**
 * The hosts a message links to, each lower case with IDN labels as punycode (`xn--…`), in order
 * of appearance, duplicates kept out. What counts as a link (docs/compliance.md, "Links"):
 *
 * - anything after `scheme://`: its host as a browser reads it (user info, port, percent-escapes
 *   and IPv4 shorthand resolved by the WHATWG URL parser); an authority it cannot read is
 *   reported as is, so it is refused rather than let through;
 * - a bare host name whose last label is a top-level domain of the Public Suffix List's ICANN
 *   section (tldts), or that starts with `www.` — with or without a path, in any case;
 * - a bare IPv4 address followed by a port or a path.
 *
 * Thai text glued to an ASCII host is not part of it (`ดูที่example.co.thเลย` links to
 * `example.co.th`), nor is trailing punctuation; Thai text glued after a Thai top-level domain is
 * cut off where a known domain ends, with or without a scheme. Invisible characters are ignored and `。．｡` read as dots.
 * An email address's domain is not a link.
 */
export function findLinkHosts(text: string): string[] {
  if (!MAYBE_LINK.test(text)) return [];
  const clean = text.replace(INVISIBLE, '').replace(OTHER_DOTS, '.');
  const hosts: string[] = [];
  const add = (host: string) => {
    if (!hosts.includes(host)) hosts.push(host);
  };
  // Ends of the links found so far: a dotted run inside one (a path, a query) is part of that link.
  const spans: [number, number][] = [];
  for (const match of clean.matchAll(SCHEME)) {
    const start = match.index;
    const authorityStart = start + match[0].length;
    const authority = authorityOf(clean, authorityStart);
    spans.push([start, linkEnd(clean, authorityStart)]);
    if (authority !== '') add(hostOfAuthority(withoutThaiTail(authority)));
  }
  for (const match of clean.matchAll(DOTTED)) {
    if (spans.some(([from, to]) => match.index >= from && match.index < to)) continue;
    const found = bareHost(clean, match[0], match.index);
    if (!found) continue;
    spans.push([found.start, linkEnd(clean, found.end)]);
    add(found.host);
  }
  return hosts;
}

/** The authority after `://`: up to the path, the end of the link, or Thai text glued to it. */
function authorityOf(text: string, from: number): string {
  let end = from;
  while (end < text.length) {
    const char = text[end];
    if (AUTHORITY_END.test(char)) break;
    if (end > from && THAI.test(char) && ASCII_LABEL_CHAR.test(text[end - 1])) break;
    end++;
  }
  return text.slice(from, end).replace(TRAILING_PUNCTUATION, '');
}

/** Where a link that reached `from` ends: its path, query and fragment run to the next space. */
function linkEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && !LINK_END.test(text[end])) end++;
  return end;
}

function hostOfAuthority(authority: string): string {
  try {
    const host = new URL(`http://${authority}`).hostname.replace(/\.$/, '');
    if (host !== '') return host.slice(0, MAX_HOST_LENGTH);
  } catch {
    // Unreadable: reported as it stands (bounded, printable ASCII only), so the send is refused.
  }
  return authority
    .replace(/[^\x21-\x7e]/g, '?')
    .toLowerCase()
    .slice(0, 100);
}

/** A dotted run as a link host, or undefined when it is no link (unknown TLD, email, plain text). */
function bareHost(text: string, run: string, index: number): { host: string; start: number; end: number } | undefined {
  let start = index;
  let end = index + run.length;
  // Thai text glued before an ASCII first label, or after an ASCII last label, is not the host's.
  const lead = /^[\u0E00-\u0E7F]+(?=[A-Za-z0-9-])/u.exec(run);
  if (lead) start += lead[0].length;
  const tail = /(?<=[A-Za-z0-9-])[\u0E00-\u0E7F]+$/u.exec(run);
  if (tail) end -= tail[0].length;
  // Hyphens at either end are punctuation ("-example.com-"), not part of a label.
  while (start < end && text[start] === '-') start++;
  while (end > start && text[end - 1] === '-') end--;
  if (start > 0 && text[start - 1] === '@') return undefined; // an email address
  let name = text.slice(start, end);
  if (!name.includes('.')) return undefined;
  if (IPV4.test(name)) return /^[:/]/.test(text[end] ?? '') ? { host: name, start, end } : undefined;
  let ascii = toAsciiHost(name);
  if (ascii === undefined) return undefined;
  if (!hasKnownTld(ascii)) {
    // Thai glued after a Thai top-level domain: keep the longest known domain at its start.
    const trimmed = trimThaiTail(name);
    if (trimmed === undefined) return ascii.startsWith('www.') ? { host: ascii, start, end } : undefined;
    name = trimmed;
    end = start + trimmed.length;
    ascii = toAsciiHost(name);
    if (ascii === undefined) return undefined;
  }
  return { host: ascii, start, end };
}

function toAsciiHost(name: string): string | undefined {
  const ascii = domainToASCII(name);
  return ascii === '' || ascii.length > MAX_HOST_LENGTH ? undefined : ascii;
}

function hasKnownTld(asciiHost: string): boolean {
  return parse(asciiHost, { allowPrivateDomains: false, extractHostname: false }).isIcann === true;
}

/** An authority ending in Thai text glued after a Thai top-level domain, without that text. */
function withoutThaiTail(authority: string): string {
  if (!THAI.test(authority)) return authority;
  const ascii = toAsciiHost(authority);
  if (ascii !== undefined && hasKnownTld(ascii)) return authority;
  return trimThaiTail(authority) ?? authority;
}

/** `shop.ไทยนะ` → `shop.ไทย`: the last label cut to the longest start that is a known TLD. */
function trimThaiTail(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  const label = name.slice(dot + 1);
  if (!THAI.test(label)) return undefined;
  for (let length = label.length - 1; length >= 1; length--) {
    const candidate = name.slice(0, dot + 1 + length);
    const ascii = toAsciiHost(candidate);
    if (ascii !== undefined && hasKnownTld(ascii)) return candidate;
  }
  return undefined;
}
