/**
 * Draws docs/grafana/dashboard.png: the panels of docs/grafana/thaibulksms-dashboard.json, their
 * queries evaluated (promql-lite) over real scrapes of the sample app's /metrics during a sandbox
 * run with load and injected faults, laid out as Grafana lays them out and screenshot in headless
 * Chromium. A picture of what the dashboard shows, not Grafana itself.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/dashboard/render-dashboard.ts
 *
 * About 70 s. The queue panel needs Redis on REDIS_URL (or 127.0.0.1:6379); without it the app
 * runs without the queue and the panel says "No data".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { probeRedis, testRedisUrl } from '../../libs/thai-bulk-sms/src/queue/redis.test-util';
import { ThaiBulkSmsSandbox } from '../../libs/thai-bulk-sms/src/sandbox';
import { CHROMIUM_ARGS, chromiumPath } from '../../test/support/chromium.test-util';
import { startMain } from '../../test/support/main-process';
import { freePort, log } from '../lib/bench.util';
import { dashboardHtml, PanelData } from './dashboard-page';
import { parsePrometheusText } from './prometheus-text';
import { evaluate, parsePromQL, Scrape } from './promql-lite';

const ROOT = join(__dirname, '..', '..');
const DASHBOARD = join(ROOT, 'docs/grafana/thaibulksms-dashboard.json');
const OUTPUT = join(ROOT, 'docs/grafana/dashboard.png');
const API_KEY = 'dashboard-render-key-0123456789';
const TOKEN = 'dashboard-render-webhook-0123456789';
const RUN_SECONDS = Number(process.env.DASHBOARD_RUN_SECONDS ?? 60);
const SCRAPE_EVERY_S = 3;
const RATE_WINDOW_S = 9;

interface GrafanaPanel {
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig: { defaults: { unit: string } };
  targets: { expr: string; legendFormat: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const phone = (i: number) => `08${String(20_000_000 + (i % 9_000_000)).padStart(8, '0')}`;

async function main(): Promise<void> {
  const sandbox = await ThaiBulkSmsSandbox.start({
    port: 0,
    credits: { standard: 60_000, corporate: 25_000 },
    deliveryDelayMs: 400,
    // One number in ten reports failed.
    failingNumbers: Array.from({ length: 400 }, (_, i) => phone(i * 10 + 7)),
  });
  const port = await freePort();
  const metricsPort = await freePort();
  const redisUrl = testRedisUrl();
  const queue = probeRedis(redisUrl).up;
  const app = startMain({
    PORT: String(port),
    THAIBULKSMS_SANDBOX: 'false',
    THAIBULKSMS_API_KEY: sandbox.credentials.apiKey,
    THAIBULKSMS_API_SECRET: sandbox.credentials.apiSecret,
    THAIBULKSMS_OTP_KEY: sandbox.credentials.otpKey,
    THAIBULKSMS_OTP_SECRET: sandbox.credentials.otpSecret,
    THAIBULKSMS_BASE_URL: sandbox.url,
    THAIBULKSMS_OTP_BASE_URL: sandbox.url,
    THAIBULKSMS_MAX_TPS: '5',
    BODY_LIMIT_BYTES: String(1024 * 1024),
    THAIBULKSMS_TIMEOUT_MS: '5000',
    APP_API_KEYS: API_KEY,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DELIVERY_WEBHOOK_TOKEN: TOKEN,
    LOG_FORMAT: 'json',
    OTEL_ENABLED: 'true',
    METRICS_PORT: String(metricsPort),
    ...(queue && {
      QUEUE_ENABLED: 'true',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: `dashboard-${process.pid}`,
    }),
  });
  const url = `http://127.0.0.1:${port}`;
  const scrapes: Scrape[] = [];
  try {
    await app.waitFor(/Sample app listening/, 60_000);
    log(
      `app on ${url}, metrics on :${metricsPort}, queue ${queue ? 'on' : 'off (no Redis)'}; running ${RUN_SECONDS} s`,
    );
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify(body),
      })
        .then((res) => res.arrayBuffer())
        // A request lost to an injected fault is part of the picture, not a reason to stop.
        .catch(() => undefined);
    let n = 0;
    const sender = async () => {
      while (elapsed() < RUN_SECONDS) {
        const count = 1 + (n % 3);
        const to = Array.from({ length: count }, () => phone(n++));
        await post('/sms', { to, message: 'Your parcel is on its way.', ...(n % 5 === 0 && { force: 'corporate' }) });
        await sleep(40 + (n % 7) * 20);
      }
    };
    const scraper = async () => {
      while (elapsed() < RUN_SECONDS + SCRAPE_EVERY_S) {
        const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
          .then((res) => res.text())
          .catch(() => undefined);
        if (text) scrapes.push({ at: elapsed(), samples: parsePrometheusText(text) });
        await sleep(SCRAPE_EVERY_S * 1000);
      }
    };
    const faults = async () => {
      const at = async (second: number, act: () => unknown) => {
        while (elapsed() < second) await sleep(100);
        act();
      };
      await at(
        8,
        () =>
          queue &&
          void post('/alerts', {
            to: Array.from({ length: 8_000 }, (_, i) => phone(100_000 + i)),
            message: 'Maintenance tonight 22:00-23:00.',
          }),
      );
      await at(15, () => sandbox.inject({ kind: 'slow', delayMs: 400 }, { path: '/sms', times: 20 }));
      await at(27, () => sandbox.failNext('ERROR_SENDER_NOT_FOUND', { path: '/sms', times: 12 }));
      await at(
        33,
        () =>
          queue &&
          void post('/alerts', {
            to: Array.from({ length: 6_000 }, (_, i) => phone(200_000 + i)),
            message: 'Service restored.',
          }),
      );
      await at(38, () => sandbox.inject({ kind: 'hang' }, { path: '/sms', times: 4 }));
      await at(46, () => sandbox.failNext('ERROR_INSUFFICIENT_CREDIT', { path: '/sms', times: 5 }));
    };
    await Promise.all([...Array.from({ length: 4 }, sender), scraper(), faults()]);
  } finally {
    app.kill();
    await app.exited;
    await sandbox.close();
  }

  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { title: string; panels: GrafanaPanel[] };
  const origin = scrapes[0].at;
  const panels: PanelData[] = dashboard.panels.map((panel) => {
    const lines = panel.targets.flatMap((target) => {
      const node = parsePromQL(target.expr);
      const series = new Map<string, [number, number][]>();
      scrapes.forEach((scrape, i) => {
        for (const item of evaluate(node, scrapes, i, RATE_WINDOW_S)) {
          if (!Number.isFinite(item.value)) continue;
          const legend = target.legendFormat.replace(/\{\{(\w+)\}\}/g, (_, label: string) => item.labels[label] ?? '');
          series.set(legend, [...(series.get(legend) ?? []), [scrape.at - origin, item.value]]);
        }
      });
      return [...series].map(([legend, points]) => ({ legend, points }));
    });
    return { title: panel.title, unit: panel.fieldConfig.defaults.unit, grid: panel.gridPos, lines };
  });
  const span = scrapes[scrapes.length - 1].at - origin;
  const html = dashboardHtml(
    dashboard.title,
    `docs/grafana/thaibulksms-dashboard.json, evaluated over ${scrapes.length} scrapes of a ${Math.round(span)} s sandbox run with injected faults`,
    panels,
    span,
  );
  writeFileSync(join(ROOT, 'bench/out/dashboard.html'), html);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await page.setContent(html);
    await page.screenshot({ path: OUTPUT, fullPage: true });
  } finally {
    await browser.close();
  }
  log(`wrote ${OUTPUT} (${panels.length} panels, ${scrapes.length} scrapes)`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
