import { PromSample } from './prometheus-text';

/**
 * The part of PromQL the dashboard uses, enough to check its queries against a real scrape and to
 * draw its panels from a series of scrapes: selectors with `=`, `!=`, `=~` matchers, `rate(…[w])`,
 * `sum`/`max` with `by (…)`, `histogram_quantile`, and `/` between two aggregated vectors.
 */
export type Node =
  | { kind: 'selector'; metric: string; matchers: Matcher[]; range?: string }
  | { kind: 'rate'; arg: Node & { kind: 'selector' } }
  | { kind: 'aggregate'; op: 'sum' | 'max'; by: string[]; arg: Node }
  | { kind: 'quantile'; q: number; arg: Node }
  | { kind: 'divide'; left: Node; right: Node };

export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~';
  readonly value: string;
}

export interface VectorItem {
  readonly labels: Record<string, string>;
  readonly value: number;
}

const TOKEN =
  /\s*(\$__rate_interval|[a-zA-Z_:][a-zA-Z0-9_:]*|\d+(?:\.\d+)?[smh]?|"(?:[^"\\]|\\.)*"|=~|!=|[(){}[\],=/])/y;

function tokenize(expr: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(expr);
    if (!match) {
      if (expr.slice(start).trim() === '') break;
      throw new Error(`cannot read "${expr.slice(start)}" in ${expr}`);
    }
    tokens.push(match[1]);
  }
  return tokens;
}

/** Parses one query of the subset; throws on anything else. */
export function parsePromQL(expr: string): Node {
  const tokens = tokenize(expr);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected))
      throw new Error(`expected ${expected ?? 'a token'} at ${at} in ${expr}, got ${token}`);
    return token;
  };
  const labels = () => {
    take('(');
    const out: string[] = [];
    while (peek() !== ')') {
      out.push(take());
      if (peek() === ',') take(',');
    }
    take(')');
    return out;
  };
  const selector = (metric: string): Node & { kind: 'selector' } => {
    const matchers: Matcher[] = [];
    if (peek() === '{') {
      take('{');
      while (peek() !== '}') {
        const label = take();
        const op = take();
        if (op !== '=' && op !== '!=' && op !== '=~') throw new Error(`unsupported matcher ${op} in ${expr}`);
        matchers.push({ label, op, value: JSON.parse(take()) as string });
        if (peek() === ',') take(',');
      }
      take('}');
    }
    let range: string | undefined;
    if (peek() === '[') {
      take('[');
      range = take();
      take(']');
    }
    return { kind: 'selector', metric, matchers, ...(range && { range }) };
  };
  const term = (): Node => {
    const head = take();
    if (head === 'rate') {
      take('(');
      const arg = term();
      take(')');
      if (arg.kind !== 'selector' || !arg.range) throw new Error(`rate needs a range selector in ${expr}`);
      return { kind: 'rate', arg };
    }
    if (head === 'sum' || head === 'max') {
      let by: string[] = [];
      if (peek() === 'by') {
        take('by');
        by = labels();
      }
      take('(');
      const arg = expression();
      take(')');
      return { kind: 'aggregate', op: head, by, arg };
    }
    if (head === 'histogram_quantile') {
      take('(');
      const q = Number(take());
      take(',');
      const arg = expression();
      take(')');
      return { kind: 'quantile', q, arg };
    }
    return selector(head);
  };
  const expression = (): Node => {
    const left = term();
    if (peek() === '/') {
      take('/');
      return { kind: 'divide', left, right: term() };
    }
    return left;
  };
  const node = expression();
  if (at !== tokens.length) throw new Error(`unexpected "${tokens[at]}" in ${expr}`);
  return node;
}

/** Every selector of a query, with the labels it groups by on the way up. */
export function selectorsOf(node: Node, by: string[] = []): { metric: string; labels: string[] }[] {
  switch (node.kind) {
    case 'selector':
      return [{ metric: node.metric, labels: [...node.matchers.map((m) => m.label), ...by] }];
    case 'rate':
      return selectorsOf(node.arg, by);
    case 'aggregate':
      return selectorsOf(node.arg, [...by, ...node.by]);
    case 'quantile':
      return selectorsOf(node.arg, by);
    case 'divide':
      return [...selectorsOf(node.left, by), ...selectorsOf(node.right, by)];
  }
}

/** One scrape: its time (seconds) and samples. */
export interface Scrape {
  readonly at: number;
  readonly samples: readonly PromSample[];
}

const matches = (sample: PromSample, selector: Node & { kind: 'selector' }) =>
  sample.name === selector.metric &&
  selector.matchers.every(({ label, op, value }) => {
    const actual = sample.labels[label] ?? '';
    if (op === '=') return actual === value;
    if (op === '!=') return actual !== value;
    return new RegExp(`^(?:${value})$`).test(actual);
  });

const key = (labels: Record<string, string>) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The instant vector of `node` at scrape `index` of `scrapes`; `rateWindowS` stands for every
 * range (`$__rate_interval` included): rate is the increase from the oldest scrape in the window.
 */
export function evaluate(node: Node, scrapes: readonly Scrape[], index: number, rateWindowS: number): VectorItem[] {
  const now = scrapes[index];
  switch (node.kind) {
    case 'selector':
      return now.samples.filter((s) => matches(s, node)).map((s) => ({ labels: { ...s.labels }, value: s.value }));
    case 'rate': {
      let from = index;
      while (from > 0 && now.at - scrapes[from - 1].at <= rateWindowS + 1e-9) from--;
      if (from === index) return [];
      const before = new Map(
        scrapes[from].samples.filter((s) => matches(s, node.arg)).map((s) => [key(s.labels), s.value]),
      );
      const seconds = now.at - scrapes[from].at;
      return now.samples
        .filter((s) => matches(s, node.arg))
        .map((s) => ({
          labels: { ...s.labels },
          value: Math.max(0, s.value - (before.get(key(s.labels)) ?? 0)) / seconds,
        }));
    }
    case 'aggregate': {
      const groups = new Map<string, VectorItem>();
      for (const item of evaluate(node.arg, scrapes, index, rateWindowS)) {
        const labels = Object.fromEntries(node.by.map((l) => [l, item.labels[l] ?? '']));
        const k = key(labels);
        const seen = groups.get(k);
        const value = !seen
          ? item.value
          : node.op === 'sum'
            ? seen.value + item.value
            : Math.max(seen.value, item.value);
        groups.set(k, { labels, value });
      }
      return [...groups.values()];
    }
    case 'quantile': {
      const series = new Map<string, { labels: Record<string, string>; buckets: [number, number][] }>();
      for (const item of evaluate(node.arg, scrapes, index, rateWindowS)) {
        const { le, ...rest } = item.labels;
        const k = key(rest);
        const entry = series.get(k) ?? { labels: rest, buckets: [] };
        entry.buckets.push([le === '+Inf' ? Infinity : Number(le), item.value]);
        series.set(k, entry);
      }
      return [...series.values()].flatMap(({ labels, buckets }) => {
        const value = bucketQuantile(node.q, buckets);
        return value === undefined ? [] : [{ labels, value }];
      });
    }
    case 'divide': {
      const right = new Map(evaluate(node.right, scrapes, index, rateWindowS).map((i) => [key(i.labels), i.value]));
      return evaluate(node.left, scrapes, index, rateWindowS).flatMap((item) => {
        const divisor = right.get(key(item.labels));
        return divisor ? [{ labels: item.labels, value: item.value / divisor }] : [];
      });
    }
  }
}

/** Prometheus' histogram_quantile: linear interpolation inside the bucket that holds rank q. */
function bucketQuantile(q: number, buckets: [number, number][]): number | undefined {
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      return lowerBound + (bound - lowerBound) * ((rank - lowerCount) / (count - lowerCount || 1));
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}
