import fc from 'fast-check';
import { findLinkHosts } from './link-detector';
import { LinkRules } from './link-rules';
import { KNOWN_SHORTENER_HOSTS } from './known-shorteners';

describe('findLinkHosts', () => {
  it.each([
    ['Your parcel is on its way.', []],
    ['Visit https://Example.co.th/promo now', ['example.co.th']],
    ['HTTPS://EXAMPLE.CO.TH', ['example.co.th']],
    ['ดูที่example.co.thเลย', ['example.co.th']],
    ['ดูที่ www.EXAMPLE.co.th/x?to=evil.com.', ['www.example.co.th']],
    ['(see example.co.th/a), then evil.com!', ['example.co.th', 'evil.com']],
    ['go to http://good.co.th@evil.com/x', ['evil.com']],
    ['x https://good.co.th%2eevil.com', ['good.co.th.evil.com']],
    ['x https://evil.com\\@good.co.th', ['evil.com']],
    ['ตัวอย่าง.ไทย', ['xn--72c1a1bt4awk9o.xn--o3cw4h']],
    ['xn--72c1a1bt4awk9o.xn--o3cw4h', ['xn--72c1a1bt4awk9o.xn--o3cw4h']],
    ['ไปที่ shop.ไทยนะคะ', ['shop.xn--o3cw4h']],
    ['mail a@evil.com', []],
    ['Mr.Smith said hi. e.g. this costs 3.50 baht', []],
    ['http://localhost:3000/x', ['localhost']],
    ['ev\u200Bil.com and evil。org', ['evil.com', 'evil.org']],
    ['ｅｘａｍｐｌｅ．ｃｏｍ', ['example.com']],
    ['Call 1.2.3.4/x or 1.2.3.4', ['1.2.3.4']],
    ['www.intranet.local', ['www.intranet.local']],
    ['-example.com-', ['example.com']],
    ['http://[::1]:8080/', ['[::1]']],
  ])('%j links to %j', (text, hosts) => {
    expect(findLinkHosts(text)).toEqual(hosts);
  });

  it('reports an authority it cannot read, so it is refused rather than let through', () => {
    expect(findLinkHosts('hxxp://evil[.]com')).toEqual(['evil[.]com']);
  });
});

// ---- Property tests: the link rules as a whole (detector + allow-list) ----

const asciiLabel = fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/).filter((label) => label !== 'www');
const thaiLabel = fc.stringMatching(/^[ก-ฮ]{2,6}$/);
const tld = fc.constantFrom('com', 'net', 'org', 'co.th', 'in.th', 'or.th', 'shop', 'io', 'ไทย');
/** A host: one or two labels then a known TLD; the first label ASCII or Thai. */
const host = fc
  .tuple(fc.oneof(asciiLabel, thaiLabel), fc.option(asciiLabel, { nil: undefined }), tld)
  .map(([first, second, suffix]) => [first, second, suffix].filter(Boolean).join('.'));
/** Words between links: Thai and English without dots, so they never read as a link. */
const filler = fc
  .array(fc.constantFrom('โปรโมชั่น', 'ลด 50%', 'Hello', 'sale', 'วันนี้', 'ค่ะ', '', '!', '🎉'), { maxLength: 4 })
  .map((words) => words.join(' '));

interface Rendering {
  readonly scheme: boolean;
  readonly www: boolean;
  readonly upper: boolean;
  readonly path: boolean;
  readonly thaiBefore: boolean;
  readonly thaiAfter: boolean;
  readonly punctuation: string;
}
const rendering: fc.Arbitrary<Rendering> = fc.record({
  scheme: fc.boolean(),
  www: fc.boolean(),
  upper: fc.boolean(),
  path: fc.boolean(),
  thaiBefore: fc.boolean(),
  thaiAfter: fc.boolean(),
  punctuation: fc.constantFrom('', '.', ',', '!', ')', '?'),
});

const isAscii = (label: string) => /^[a-z0-9-]+$/.test(label);

/** The host written as a message would: scheme, www., case, path, Thai text glued, punctuation. */
function render(name: string, how: Rendering): string {
  const labels = name.split('.');
  let text = `${how.www ? 'www.' : ''}${name}`;
  if (how.upper) text = text.toUpperCase();
  if (how.path) text += '/promo?id=1';
  if (how.scheme) text = `https://${text}`;
  // Glued Thai is told apart from an ASCII label only (docs/compliance.md, "Links").
  if (how.thaiBefore && !how.scheme && isAscii(labels[0])) text = `ดูที่${text}`;
  if (how.thaiAfter && !how.path && (isAscii(labels[labels.length - 1]) || labels[labels.length - 1] === 'ไทย'))
    text = `${text}เลยนะ`;
  return `${text}${how.punctuation}`;
}

const toAscii = (name: string) => new URL(`http://${name}`).hostname;

/** Allowed by the documented rules, decided without the code under test's matcher. */
function allowedByHand(name: string, exact: readonly string[], wildcards: readonly string[]): boolean {
  const ascii = toAscii(name);
  const bare = ascii.startsWith('www.') ? ascii.slice(4) : ascii;
  return (
    exact.map(toAscii).some((entry) => entry === ascii || entry === bare) ||
    wildcards.map(toAscii).some((base) => ascii.endsWith(`.${base}`))
  );
}

const shortener = (name: string) =>
  KNOWN_SHORTENER_HOSTS.some((entry) => toAscii(name) === entry || toAscii(name).endsWith(`.${entry}`));

describe('link rules (property tests)', () => {
  it('never refuse a link to an allowed host, however it is written', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(host, { minLength: 1, maxLength: 4 }),
        fc.array(host, { maxLength: 2 }),
        fc.nat(),
        fc.option(asciiLabel, { nil: undefined }),
        rendering,
        filler,
        filler,
        (exact, wildcards, pick, sub, how, before, after) => {
          fc.pre(![...exact, ...wildcards].some(shortener));
          const rules = new LinkRules([...exact, ...wildcards.map((base) => `*.${base}`)], KNOWN_SHORTENER_HOSTS);
          const useWildcard = sub !== undefined && wildcards.length > 0;
          const target = useWildcard ? `${sub}.${wildcards[pick % wildcards.length]}` : exact[pick % exact.length];
          const message = `${before} ${render(target, { ...how, www: how.www && !useWildcard })} ${after}`;
          const hosts = findLinkHosts(message);
          expect(hosts.length).toBeGreaterThan(0);
          for (const found of hosts) expect([found, rules.verdict(found)]).toEqual([found, 'allowed']);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never let a link to any other host pass, however it is written', () => {
    fc.assert(
      fc.property(
        fc.array(host, { maxLength: 4 }),
        fc.array(host, { maxLength: 2 }),
        host,
        fc.option(asciiLabel, { nil: undefined }),
        rendering,
        filler,
        filler,
        fc.nat(),
        (exact, wildcards, generated, sub, how, before, after, pick) => {
          fc.pre(![...exact, ...wildcards].some(shortener));
          // Near misses as often as strangers: a listed host under a subdomain, a wildcard's apex,
          // a listed name with letters in front ("notexample.co.th"), or an unrelated host.
          const listed = [...exact, ...wildcards];
          const near = listed.length ? listed[pick % listed.length] : generated;
          const variants = [generated, near, `x${near}`, `${near}.evil.com`];
          const target = variants[pick % variants.length];
          const name = sub === undefined ? target : `${sub}.${target}`;
          fc.pre(!allowedByHand(`${how.www ? 'www.' : ''}${name}`, exact, wildcards));
          const rules = new LinkRules([...exact, ...wildcards.map((base) => `*.${base}`)], KNOWN_SHORTENER_HOSTS);
          const message = `${before} ${render(name, how)} ${after}`;
          const verdicts = findLinkHosts(message).map((found) => rules.verdict(found));
          expect(verdicts.some((verdict) => verdict !== 'allowed')).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuse every known shortener, with or without a subdomain or a scheme', () => {
    const rules = new LinkRules(['example.co.th'], KNOWN_SHORTENER_HOSTS);
    for (const entry of KNOWN_SHORTENER_HOSTS) {
      for (const text of [`${entry}/abc`, `https://${entry.toUpperCase()}/abc`, `ดูที่ www.${entry}/x`]) {
        const hosts = findLinkHosts(text);
        expect(hosts.map((found) => [text, rules.verdict(found)])).toContainEqual([text, 'shortener']);
      }
    }
  });

  it('match subdomains only when listed', () => {
    const rules = new LinkRules(['example.co.th', '*.shop.example.co.th'], []);
    expect(rules.verdict('example.co.th')).toBe('allowed');
    expect(rules.verdict('www.example.co.th')).toBe('allowed');
    expect(rules.verdict('promo.example.co.th')).toBe('unregistered');
    expect(rules.verdict('a.shop.example.co.th')).toBe('allowed');
    expect(rules.verdict('a.b.shop.example.co.th')).toBe('allowed');
    expect(rules.verdict('shop.example.co.th')).toBe('unregistered');
    expect(rules.verdict('example.co.th.evil.com')).toBe('unregistered');
    expect(rules.verdict('notexample.co.th')).toBe('unregistered');
  });
});
