import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { LedgerWriter } from '@app/thai-bulk-sms/ledger/ledger.writer';
import { describeWithChromium, HeadlessChromium, launchHeadlessChromium } from '../support/chromium.test-util';
import { createTestApp, TestApp } from '../support/test-app';
import { LEDGER_WEBHOOK_TOKEN, report, sendThroughApp } from './ledger-app.support';

/**
 * The operator console in a real headless Chromium: sign in once with a key, search by phone,
 * open a message's timeline, see the 14-day chart; a tag, a sender and a vendor report carrying
 * markup show as text and run nothing. Leaves test/out/console.png for a human to look at (the
 * docs' copy is rewritten only with UPDATE_DOCS_SCREENSHOT=1, so a run leaves the tree clean).
 */

jest.setTimeout(90_000);

const DAY_MS = 86_400_000;
const SCRIPT_TAG = '<script>window.__pwned=1</script>';
const SENDER = '"><b>X</b>';
const IMG_ERROR = '"><img src=x onerror="window.__pwned=2">';
const SCREENSHOT = join(__dirname, '..', 'out', 'console.png');
const DOCS_SCREENSHOT = join(__dirname, '..', '..', 'docs', 'images', 'console.png');

/**
 * Thirteen earlier days of traffic, written through the ledger's writer exactly as its observer
 * writes a send and its reports (the library's SmsService stamps sends with its own clock, so
 * the app cannot send "yesterday"); today's traffic goes through the app itself.
 */
async function seedEarlierDays(t: TestApp): Promise<void> {
  const writer = t.app.get(LedgerWriter, { strict: false });
  const now = t.clock.now();
  for (let daysAgo = 13; daysAgo >= 1; daysAgo--) {
    const createdAt = new Date(now - daysAgo * DAY_MS);
    const count = 4 + ((daysAgo * 7) % 6);
    const recipients = Array.from({ length: count }, (_, i) => ({
      ordinal: i,
      messageId: `hist-${daysAgo}-${i}-${randomUUID().slice(0, 8)}`,
      phone: `668144${String(daysAgo).padStart(2, '0')}${String(i).padStart(3, '0')}`,
      status: 'accepted' as const,
      creditsUsed: 1,
    }));
    await writer.record({
      kind: 'messages',
      batch: {
        createdAt,
        requestId: randomUUID(),
        registration: 'default',
        sender: 'Demo',
        creditType: 'standard',
        tags: ['daily-digest'],
        text: { sha256: 'a'.repeat(64), length: 20, encoding: 'GSM-7', parts: 1 },
        recipients,
      },
    });
    for (const { messageId } of recipients.slice(daysAgo % 4 === 1 ? 2 : 1)) {
      const failed = messageId.endsWith('-1') || (daysAgo % 3 === 0 && messageId.includes('-2-'));
      const at = new Date(createdAt.getTime() + 60_000);
      await writer.record({
        kind: 'report',
        report: {
          eventKey: randomUUID(),
          messageId,
          status: failed ? 'undelivered' : 'delivered',
          at,
          receivedAt: at,
          raw: {},
        },
      });
    }
  }
}

/** Today: a send through the app, reported through its webhook. */
async function seedToday(t: TestApp): Promise<string> {
  const to = ['0814400001', '0814400002', '0814400003', '0814400004', '0814400005'];
  const ids = await sendThroughApp(t, { to, sender: 'Demo', tags: ['daily-digest'] });
  for (const [i, id] of ids.entries())
    if (i < 4) await report(t, { message_id: id, status: i === 3 ? 'failed' : 'delivered' });
  return to[0];
}

async function seedHostile(t: TestApp): Promise<string> {
  const [id] = await sendThroughApp(t, { to: '0815550001', tags: [SCRIPT_TAG] });
  await report(t, { message_id: id, msisdn: '66815550001', status: 'failed', error: IMG_ERROR });
  // The sandbox approves no such sender: the vendor's refusal is recorded with it.
  await sendThroughApp(t, { to: '0815550001', sender: SENDER }).catch(() => undefined);
  return id;
}

async function expectNothingRan(page: Page): Promise<void> {
  expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('script').count()).toBe(0);
  expect(await page.locator('img').count()).toBe(0);
}

describeWithChromium('operator console in headless Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: HeadlessChromium;
  let page: Page;
  let phone: string;
  let hostileId: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      env: { LEDGER_ENABLED: 'true', LEDGER_DATA_DIR: 'memory', DELIVERY_WEBHOOK_TOKEN: LEDGER_WEBHOOK_TOKEN },
    });
    // Listening, but not as the sandbox's report target: the test posts every report itself.
    await t.app.listen(0, '127.0.0.1');
    url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    await seedEarlierDays(t);
    phone = await seedToday(t);
    hostileId = await seedHostile(t);
    browser = await launchHeadlessChromium();
    page = await browser.context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('asks for a key, signs in once, and keeps an HttpOnly, SameSite=Strict session cookie', async () => {
    const first = await page.goto(`${url}/console`);
    expect(first?.status()).toBe(401);
    await page.fill('input[name="key"]', t.key);
    await page.click('button[type="submit"]');
    await page.locator('#daily-chart').waitFor({ timeout: 10_000 });
    const [cookie] = await browser.context.cookies(`${url}/console`);
    expect(cookie).toMatchObject({ name: 'console_session', httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(cookie.value).not.toContain(t.key);
  });

  it('shows the last 14 days: sent, delivered and failed with the delivery rate', async () => {
    await page.goto(`${url}/console`);
    const rows = page.locator('#daily-table tbody tr');
    expect(await rows.count()).toBe(14);
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())),
    );
    expect(cells.filter((c) => Number(c[1]) > 0).length).toBeGreaterThanOrEqual(12);
    expect(cells.some((c) => Number(c[3]) > 0)).toBe(true);
    expect(cells.every((c) => /^(\d+%|–)$/.test(c[4]))).toBe(true);
    expect(await page.locator('#daily-chart rect.delivered').count()).toBeGreaterThanOrEqual(14);
    const box = await page.locator('#daily-chart').boundingBox();
    expect(box!.width).toBeGreaterThan(600);
    mkdirSync(join(__dirname, '..', 'out'), { recursive: true });
    await page.goto(`${url}/console?q=${phone}`);
    await page.screenshot({
      path: process.env.UPDATE_DOCS_SCREENSHOT === '1' ? DOCS_SCREENSHOT : SCREENSHOT,
      fullPage: true,
    });
  });

  it('finds a phone in another Thai form and opens its status timeline', async () => {
    const international = `+66 ${phone.slice(1, 3)} ${phone.slice(3, 6)} ${phone.slice(6)}`;
    await page.fill('input[name="q"]', international);
    await Promise.all([page.waitForURL(/q=/), page.click('form[action="/console"] button')]);
    const links = page.locator('#results a');
    expect(await links.count()).toBe(1);
    await Promise.all([page.waitForURL(/\/console\/messages\//), links.first().click()]);
    const timeline = await page.locator('#timeline tbody tr').allTextContents();
    expect(timeline[0]).toMatch(/send\s*accepted/);
    expect(timeline[1]).toMatch(/report\s*delivered/);
  });

  it('shows a hostile tag, sender and vendor error as text and runs nothing', async () => {
    await page.goto(`${url}/console?q=0815550001`);
    const results = await page.locator('#results').innerText();
    expect(results).toContain(SCRIPT_TAG);
    expect(results).toContain(SENDER);
    await expectNothingRan(page);
    await page.goto(`${url}/console/messages/${encodeURIComponent(hostileId)}`);
    expect(await page.locator('#timeline').innerText()).toContain(IMG_ERROR.replace(/"/g, '\\"'));
    expect(await page.locator('#message').innerText()).toContain(SCRIPT_TAG);
    await expectNothingRan(page);
    expect(dialogs).toEqual([]);
  });

  it('signs out: the cookie is gone and the console asks for a key again', async () => {
    await page.goto(`${url}/console`);
    await page.click('form[action="/console/sign-out"] button');
    await page.locator('input[name="key"]').waitFor({ timeout: 10_000 });
    expect(await browser.context.cookies(`${url}/console`)).toEqual([]);
  });
});
