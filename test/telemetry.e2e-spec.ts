import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describeWithRedis, obliterateQueue, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { parsePrometheusText } from '../bench/dashboard/prometheus-text';
import { parsePromQL, selectorsOf } from '../bench/dashboard/promql-lite';
import { MainProcess, startMain } from './support/main-process';

const API_KEY = 'telemetry-e2e-key-0123456789';
const WEBHOOK_TOKEN = 'telemetry-webhook-token-0123456789';
// Not the fractional digits of a number (a duration of 0.0846076011 s is no phone).
const PHONE = /(?<!\d)(?<!\d\.)(?:\+?66|0)[689]\d{8}(?!\d)/g;

interface OtlpAttribute {
  readonly key: string;
  readonly value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
}
interface OtlpSpan {
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly attributes: OtlpAttribute[];
}
const SERVER = 2;
const CLIENT = 3;

/** A local OTLP/HTTP receiver (JSON): every span the app exports. */
async function startOtlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; raw: string[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const raw: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        raw.push(body);
        const parsed = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    raw,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const attr = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  if (!value) return undefined;
  return (
    value.stringValue ??
    (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue))
  );
};

/**
 * The app as `OTEL_ENABLED=true npm start` runs it (its own process: the HTTP instrumentation
 * patches Node's http module as it loads, which Jest's module loader would bypass), exporting
 * traces to a local OTLP receiver and metrics on a Prometheus port of its own.
 */
describeWithRedis(
  'Sample app with OTEL_ENABLED=true (own process, OTLP receiver, Prometheus scrape, queue on Redis)',
  () => {
    const redisPrefix = `otel-e2e-${process.pid}`;
    let app: MainProcess;
    let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
    let url: string;
    let metricsUrl: string;

    beforeAll(async () => {
      otlp = await startOtlpReceiver();
      const metricsPort = await freePort();
      metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      app = startMain({
        OTEL_ENABLED: 'true',
        METRICS_PORT: String(metricsPort),
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        LOG_FORMAT: 'json',
        APP_API_KEYS: API_KEY,
        DELIVERY_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
        QUEUE_ENABLED: 'true',
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: redisPrefix,
      });
      const [, port] = await app.waitFor(/"Sample app listening","url":"http:\/\/localhost:(\d+)"/, 60_000);
      url = `http://127.0.0.1:${port}`;
    }, 90_000);

    afterAll(async () => {
      app?.kill();
      await app?.exited;
      await otlp?.close();
      await obliterateQueue('thaibulksms', testRedisUrl(), redisPrefix);
    });

    const post = (path: string, body: string, type = 'application/json') =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type, 'x-api-key': API_KEY }, body });

    async function spansUntil(done: (spans: OtlpSpan[]) => boolean): Promise<OtlpSpan[]> {
      for (let i = 0; i < 200 && !done(otlp.spans); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      return otlp.spans;
    }

    it('traces a send: server span named after the route, the library client span under it, ids in the log line', async () => {
      const res = await post('/sms', JSON.stringify({ to: '0812345678', message: 'otel e2e' }));
      expect(res.status).toBe(201);
      const spans = await spansUntil((all) => all.some((s) => s.name === 'POST /sms' && s.kind === CLIENT));
      const server = spans.find((s) => s.name === 'POST /sms' && s.kind === SERVER)!;
      const client = spans.find((s) => s.name === 'POST /sms' && s.kind === CLIENT)!;
      expect(attr(server, 'http.route')).toBe('/sms');
      expect(attr(server, 'http.response.status_code')).toBe(201);
      expect(client.parentSpanId).toBe(server.spanId);
      expect(client.traceId).toBe(server.traceId);
      expect(attr(client, 'thaibulksms.operation')).toBe('sms');

      await app.waitFor(/"msg":"SMS sent"/);
      const line = app
        .stdout()
        .split('\n')
        .find((l) => l.includes('"msg":"SMS sent"'))!;
      const logged = JSON.parse(line) as { trace_id?: string; span_id?: string };
      expect(logged.trace_id).toBe(server.traceId);
      expect(logged.span_id).toMatch(/^[0-9a-f]{16}$/);
    });

    it('keeps the webhook working with instrumentation on: form, JSON and GET bodies are read, token and query redacted', async () => {
      const path = `/webhooks/thaibulksms/${WEBHOOK_TOKEN}`;
      const form = await post(
        path,
        'message_id=form-1&msisdn=66812345678&status=DELIVRD',
        'application/x-www-form-urlencoded',
      );
      const json = await post(path, JSON.stringify({ message_id: 'json-1', msisdn: '66812345679', status: 'UNDELIV' }));
      const get = await fetch(`${url}${path}?message_id=get-1&msisdn=66812345670&status=DELIVRD`);
      expect([form.status, json.status, get.status]).toEqual([200, 200, 200]);
      expect(await form.json()).toEqual({ received: true });
      // The listener saw each report's fields: the bodies were parsed, not swallowed by the instrumentation.
      await app.waitFor(/"messageId":"get-1"/);
      expect(app.stdout()).toContain('"messageId":"form-1"');

      const spans = await spansUntil(
        (all) => all.filter((s) => attr(s, 'http.route') === '/webhooks/thaibulksms/:token').length >= 3,
      );
      const hooks = spans.filter((s) => attr(s, 'http.route') === '/webhooks/thaibulksms/:token');
      expect(hooks.map((s) => s.name)).toEqual(
        expect.arrayContaining(['POST /webhooks/thaibulksms/:token', 'GET /webhooks/thaibulksms/:token']),
      );
      for (const span of hooks) expect(attr(span, 'url.path')).toBe('/webhooks/thaibulksms/:token');
      expect(hooks.map((s) => attr(s, 'url.query')).filter(Boolean)).toEqual(['REDACTED']);
    });

    it('exposes the library metrics on the Prometheus port, and traces neither /health nor /metrics', async () => {
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const text = await (await fetch(metricsUrl)).text();
      expect(text).toMatch(
        /^thaibulksms_client_requests_total\{[^}]*thaibulksms_operation="sms"[^}]*thaibulksms_outcome="success"[^}]*\} 1$/m,
      );
      expect(text).toMatch(/^thaibulksms_delivery_reports_total\{thaibulksms_delivery_status="delivered"[^}]*\} 2$/m);
      expect(text).toMatch(/^thaibulksms_delivery_reports_total\{thaibulksms_delivery_status="failed"[^}]*\} 1$/m);
      expect(text).toMatch(/^thaibulksms_credits_remaining\{[^}]*thaibulksms_credit_pool="standard"[^}]*\} \d+$/m);
      expect(text).toMatch(/^http_server_request_duration_count\{[^}]*http_route="\/sms"/m);

      // One more traced request, so the exports after /health and /metrics are known to be in.
      await post('/sms', JSON.stringify({ to: '0812345677', message: 'after the scrape' }));
      const spans = await spansUntil(
        (all) => all.filter((s) => s.name === 'POST /sms' && s.kind === SERVER).length >= 2,
      );
      const servers = spans.filter((s) => s.kind === SERVER);
      expect(servers.map((s) => attr(s, 'url.path'))).not.toEqual(expect.arrayContaining(['/health']));
      expect(servers.map((s) => attr(s, 'url.path'))).not.toEqual(expect.arrayContaining(['/metrics']));
      // Only the app's own port: the embedded sandbox's requests are not the app's spans.
      expect(new Set(servers.map((s) => attr(s, 'server.port')))).toEqual(new Set([Number(new URL(url).port)]));
    });

    it('continues the trace of POST /alerts in the queue job that sends it', async () => {
      const res = await post(
        '/alerts',
        JSON.stringify({ to: ['0812345671', '0812345672'], message: 'queued otel e2e' }),
      );
      expect(res.status).toBe(202);
      const spans = await spansUntil((all) => all.some((s) => s.name === 'process thaibulksms'));
      const server = spans.find((s) => s.name === 'POST /alerts' && s.kind === SERVER)!;
      const producer = spans.find((s) => s.name === 'send thaibulksms')!;
      const consumer = spans.find((s) => s.name === 'process thaibulksms')!;
      expect(producer.parentSpanId).toBe(server.spanId);
      expect(consumer.parentSpanId).toBe(producer.spanId);
      expect(new Set([server.traceId, producer.traceId, consumer.traceId]).size).toBe(1);
    });

    it('the Grafana dashboard imports cleanly: panels with a data source, every query on metrics and labels the app exposes', async () => {
      const dashboard = JSON.parse(
        readFileSync(join(__dirname, '../docs/grafana/thaibulksms-dashboard.json'), 'utf8'),
      ) as {
        uid: string;
        title: string;
        schemaVersion: number;
        __inputs: { name: string; type: string; pluginId: string }[];
        panels: {
          id: number;
          type: string;
          title: string;
          gridPos: Record<string, number>;
          datasource: { type: string; uid: string };
          targets: { refId: string; expr: string; datasource: { type: string; uid: string } }[];
        }[];
      };
      expect(dashboard).toMatchObject({ uid: 'thaibulksms', title: 'ThaiBulkSMS', schemaVersion: expect.any(Number) });
      expect(dashboard.__inputs).toEqual([
        expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
      ]);
      const prometheus = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };
      expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
      const titles = dashboard.panels.map((p) => p.title);
      for (const wanted of [
        'Sends per second',
        'Errors by name',
        'Credit remaining per pool',
        'Delivery rate',
        'Vendor latency p50 / p99',
        'Rate-limiter wait p50 / p99',
        'Queue depth',
      ])
        expect(titles).toContain(wanted);

      // A sender the sandbox has not approved: the vendor refuses it, so `error.type` is exposed too.
      const refused = await post(
        '/sms',
        JSON.stringify({ to: '0812345676', message: 'refused', sender: 'NotApproved' }),
      );
      expect(refused.status).toBe(400);
      const samples = parsePrometheusText(await (await fetch(metricsUrl)).text());
      const labelsOf = new Map<string, Set<string>>();
      for (const sample of samples) {
        const labels = labelsOf.get(sample.name) ?? new Set<string>();
        for (const label of Object.keys(sample.labels)) labels.add(label);
        labelsOf.set(sample.name, labels);
      }
      const problems: string[] = [];
      for (const panel of dashboard.panels) {
        expect(panel).toMatchObject({
          type: 'timeseries',
          datasource: prometheus,
          gridPos: { x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) },
        });
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const target of panel.targets) {
          expect(target).toMatchObject({ refId: expect.stringMatching(/^[A-Z]$/), datasource: prometheus });
          for (const { metric, labels } of selectorsOf(parsePromQL(target.expr))) {
            const known = labelsOf.get(metric);
            if (!known) problems.push(`${panel.title}: ${metric} is not exposed`);
            else
              for (const label of labels)
                if (label !== 'le' && !known.has(label))
                  problems.push(`${panel.title}: ${metric} has no label ${label}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('exports no number, token, message text or key in any span', () => {
      const exported = otlp.raw.join('\n');
      expect(exported.length).toBeGreaterThan(0);
      expect(exported.match(PHONE)).toBeNull();
      for (const needle of [WEBHOOK_TOKEN, API_KEY, 'otel e2e', 'after the scrape', 'queued otel e2e', 'NotApproved'])
        expect({ needle, found: exported.includes(needle) }).toEqual({ needle, found: false });
    });
  },
);
