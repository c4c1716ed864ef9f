import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { SandboxClock, ThaiBulkSmsSandbox } from '@app/thai-bulk-sms/sandbox';
import { describeWithChromium, HeadlessChromium, launchHeadlessChromium } from './support/chromium.test-util';

/**
 * The sandbox inbox in a real headless Chromium: messages carrying markup show as text and run
 * nothing, and the page shows what the sandbox holds (rows, OTP PINs and their countdown on the
 * sandbox clock, balances). Leaves test/out/inbox.png for a human to look at.
 *
 *   npm run test:inbox
 */

const SCRIPT = '<script>window.__pwned = 1</script>';
const IMG = '<img src=x onerror="window.__pwned = 2">';
const SCREENSHOT = join(__dirname, 'out', 'inbox.png');
/** The inbox as the docs show it; rewritten only on request, so a test run leaves the tree clean. */
const DOCS_SCREENSHOT = join(__dirname, '..', 'docs', 'images', 'inbox.png');

/** A hand-moved sandbox clock, far from the browser's own time, so a countdown on the wrong clock shows. */
class SceneClock implements SandboxClock {
  time = Date.UTC(2025, 0, 15, 3, 0, 0);
  now(): number {
    return this.time;
  }
}

async function post(url: string, init: { headers: Record<string, string>; body: string }): Promise<any> {
  const response = await fetch(url, { method: 'POST', ...init });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

function sendSms(sandbox: ThaiBulkSmsSandbox, fields: Record<string, string>): Promise<any> {
  const { apiKey, apiSecret } = sandbox.credentials;
  return post(`${sandbox.url}/sms`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
  });
}

function otp(sandbox: ThaiBulkSmsSandbox, step: 'request' | 'verify', fields: Record<string, string>): Promise<any> {
  const { otpKey: key, otpSecret: secret } = sandbox.credentials;
  return post(`${sandbox.url}/v2/otp/${step}`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key, secret, ...fields }),
  });
}

/** What an inbox looks like after a morning of traffic: plain, Thai, scheduled, failed, hostile. */
async function seed(sandbox: ThaiBulkSmsSandbox, clock: SceneClock): Promise<void> {
  await sendSms(sandbox, {
    msisdn: '0812345678',
    message: 'Your order #1042 has shipped. Track it at https://example.com/t/1042',
    sender: 'SMS.',
  });
  await sendSms(sandbox, {
    msisdn: '0898765432',
    message: 'สวัสดีครับ ยืนยันการนัดหมายวันพรุ่งนี้ เวลา 10:00 น. ที่สาขาสยาม กรุณามาก่อนเวลา 15 นาที ขอบคุณครับ',
    sender: 'Demo',
    force: 'corporate',
  });
  await sendSms(sandbox, {
    msisdn: '0812345678,0823456789',
    message: 'Flash sale: 20% off everything until midnight!',
    sender: 'MySMS',
    scheduled_delivery: '2025-01-15T18:00:00+07:00',
    tag: 'promo,flash',
  });
  await sendSms(sandbox, { msisdn: '0834567890', message: SCRIPT, sender: 'SMS.' });
  await sendSms(sandbox, { msisdn: '0845678901', message: IMG, sender: 'SMS.' });
  // Past the delivery delay: the sends settle as delivered, or failed for the failing number.
  clock.time += 1500;
  const first = await otp(sandbox, 'request', { msisdn: '0812345678' });
  await otp(sandbox, 'verify', { token: first.token, pin: sandbox.lastOtp()!.pin });
  await otp(sandbox, 'request', { msisdn: '0898765432' });
}

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

describeWithChromium('sandbox inbox page in headless Chromium', () => {
  const clock = new SceneClock();
  let sandbox: ThaiBulkSmsSandbox;
  let browser: HeadlessChromium;
  let page: Page;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      clock,
      credits: { standard: 4521, corporate: 1200 },
      failingNumbers: ['0898765432'],
    });
    await seed(sandbox, clock);
    browser = await launchHeadlessChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${sandbox.url}/`);
    // Rows are built by the page's script from /__sandbox/messages; wait until the last is there.
    await page
      .locator('#messages tr')
      .nth(sandbox.messages().length - 1)
      .waitFor();
    await page
      .locator('#otps .otp')
      .nth(sandbox.otps().length - 1)
      .waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('shows every message as a row with its sender, number, parts, credits and status', async () => {
    const messages = sandbox.messages().reverse();
    expect(await page.locator('#messages tr').count()).toBe(messages.length);
    expect(await page.locator('#message-count').textContent()).toBe(String(messages.length));
    expect(await texts(page, '#messages td.phone')).toEqual(messages.map((m) => m.phone));
    expect(await texts(page, '#messages .body')).toEqual(messages.map((m) => m.message));
    expect(await texts(page, '#messages .badge')).toEqual(messages.map((m) => m.status));
    expect(new Set(messages.map((m) => m.status))).toEqual(new Set(['delivered', 'failed', 'scheduled']));
    const thai = page.locator('#messages tr', { hasText: 'สวัสดีครับ' });
    expect(await thai.locator('td.num').allTextContents()).toEqual(['2', '2']);
  });

  it('shows markup in a message as the literal text, and runs none of it', async () => {
    for (const text of [SCRIPT, IMG])
      await expect(page.getByText(text, { exact: true }).isVisible()).resolves.toBe(true);
    // Had the text been parsed as HTML, these elements would exist, and the img's onerror would have run.
    // (A string: the workspace compiles without the DOM library.)
    const found = {
      scripts: await page.locator('script').count(),
      images: await page.locator('img').count(),
      pwned: await page.evaluate('window.__pwned'),
    };
    expect(found).toEqual({ scripts: 1, images: 0, pwned: undefined });
    expect({ pageErrors, dialogs }).toEqual({ pageErrors: [], dialogs: [] });
  });

  it('shows the OTP PINs, newest first, counting down on the sandbox clock', async () => {
    const otps = sandbox.otps().reverse();
    expect(await texts(page, '#otps .pin')).toEqual(otps.map((o) => o.pin));
    expect(await texts(page, '#otps .badge')).toEqual(['pending', 'verified']);
    // Issued on the sandbox clock a moment ago: 5 minutes left there, long expired by the browser's clock.
    expect((await texts(page, '#otps .meta'))[0]).toContain('expires in 5m 0s');
  });

  it('shows both credit balances as the sandbox holds them', async () => {
    const credits = sandbox.credits();
    expect(credits).not.toEqual({ standard: 4521, corporate: 1200 });
    expect(await page.locator('#credit-standard').textContent()).toBe(credits.standard.toLocaleString('en-US'));
    expect(await page.locator('#credit-corporate').textContent()).toBe(credits.corporate.toLocaleString('en-US'));
  });

  it('saves a screenshot under test/out/', async () => {
    mkdirSync(join(__dirname, 'out'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });
});

/**
 * What a developer used to a mail catcher reaches for: search over number and text, a detail view
 * of every field with the delivery reports and the answers they got, copy buttons for the OTP,
 * pages past 200 messages, and a Clear button.
 */
describeWithChromium('sandbox inbox tools in headless Chromium', () => {
  jest.setTimeout(30_000);
  const clock = new SceneClock();
  let sandbox: ThaiBulkSmsSandbox;
  let receiver: Server;
  let hook: string;
  let browser: HeadlessChromium;
  let page: Page;
  const pageErrors: string[] = [];
  const rows = () => page.locator('#messages tr');

  beforeAll(async () => {
    let reportArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (reportArrived = resolve));
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}', reportArrived);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/thaibulksms/dev-token`;
    sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      clock,
      maxTps: 0,
      deliveryDelayMs: 0,
      credits: { standard: 9000, corporate: 2500 },
    });
    await seedTools(sandbox, clock, hook);
    // The report went out at once (deliveryDelayMs 0); the sandbox records it once the answer is in.
    await arrived;
    while (sandbox.deliveryReports().length === 0) await new Promise((resolve) => setImmediate(resolve));
    browser = await launchHeadlessChromium();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${sandbox.url}/`);
    await rows()
      .nth(sandbox.messages().length - 1)
      .waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    if (receiver) {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  // Waits with locators: the page's CSP forbids eval, which a string predicate of waitForFunction needs.
  const showsText = (selector: string, text: string) =>
    page.locator(selector, { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor();
  const showsRows = async (n: number) => {
    if (n > 0)
      await rows()
        .nth(n - 1)
        .waitFor();
    await rows().nth(n).waitFor({ state: 'detached' });
  };
  const search = async (text: string, expected: number) => {
    await page.locator('#search').fill(text);
    await showsText('#message-count', String(expected));
    await showsRows(expected);
  };

  it('searches the text, Thai included, and the number in any form', async () => {
    await search('นัดหมาย', 1);
    expect(await texts(page, '#messages .body')).toEqual([expect.stringContaining('นัดหมาย')]);
    await search('flash SALE', 2); // one send to two numbers
    expect(new Set(await texts(page, '#messages .body'))).toEqual(
      new Set(['Flash sale: 20% off everything until midnight!']),
    );
    await search('089-876', 1);
    expect(await texts(page, '#messages td.phone')).toEqual(['66898765432']);
    await search('0812', sandbox.messages().filter((m) => m.phone === '66812345678').length);
    await search('no such message', 0);
    expect(await page.locator('#messages-empty').textContent()).toBe('No message matches the search.');
    await search('', sandbox.messages().length);
  });

  it('opens a message with every field of the request, its delivery report and the answer it got', async () => {
    const reported = sandbox.messages().find((m) => m.callbackUrl !== undefined)!;
    await page.locator(`#messages tr[data-id="${reported.messageId}"]`).click();
    const dialog = page.locator('#detail');
    await dialog.locator('.report').waitFor();
    expect(await dialog.isVisible()).toBe(true);
    expect(await page.locator('#detail .f-messageId').textContent()).toBe(reported.messageId);
    expect(await page.locator('#detail .f-phone').textContent()).toBe('66812345678 (0812345678)');
    expect(await page.locator('#detail .f-sender').textContent()).toBe(reported.sender);
    expect(await page.locator('#detail .f-message').textContent()).toBe(reported.message);
    expect(await page.locator('#detail .f-callbackUrl').textContent()).toBe(hook);
    expect(await page.locator('#detail .f-callbackMethod').textContent()).toBe('POST');
    expect(await page.locator('#detail .f-tags').textContent()).toBe('orders, shipping');
    expect(await page.locator('#detail .f-creditType').textContent()).toBe('corporate');
    // Every field the sandbox recorded is shown.
    const shown = await page.locator('#detail dd').evaluateAll((nodes) => nodes.map((n) => n.className));
    expect(shown).toEqual(expect.arrayContaining(Object.keys(reported).map((k) => `f-${k}`)));
    expect(await texts(page, '#detail .report .badge')).toEqual(['delivered']);
    expect(await page.locator('#detail .report .answer').textContent()).toBe('answered 200\n{"received":true}');
    await page.locator('#detail-close').click();
    expect(await dialog.isVisible()).toBe(false);
  });

  it('saves a screenshot (under docs/images/ with UPDATE_DOCS_SCREENSHOT=1)', async () => {
    mkdirSync(join(__dirname, 'out'), { recursive: true });
    const path =
      process.env.UPDATE_DOCS_SCREENSHOT === '1' ? DOCS_SCREENSHOT : join(__dirname, 'out', 'inbox-tools.png');
    await page.screenshot({ path, fullPage: false });
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
  });

  it('copies the OTP PIN and its token', async () => {
    const otp = sandbox.lastOtp()!;
    const card = page.locator('#otps .otp').first();
    expect(await card.locator('.token').textContent()).toBe(`token ${otp.token}`);
    const copied = async (button: string) => {
      await card.locator(button).click();
      // The button says so once the clipboard holds the text.
      await card.locator(button, { hasText: 'Copied' }).waitFor();
      return page.evaluate('navigator.clipboard.readText()');
    };
    expect(await copied('button.copy-pin')).toBe(otp.pin);
    expect(await copied('button.copy-token')).toBe(otp.token);
  });

  it('pages past 200 messages, newest first', async () => {
    const before = sandbox.messages().length;
    await sendSms(sandbox, {
      msisdn: Array.from({ length: 250 }, (_, i) => `08${30_000_000 + i}`).join(','),
      message: 'Bulk notice',
      sender: 'SMS.',
    });
    const total = before + 250;
    await showsText('#message-count', String(total));
    await showsRows(200);
    expect(await page.locator('#page-info').textContent()).toBe(`1–200 of ${total}`);
    expect(await page.locator('#newer').isDisabled()).toBe(true);
    await page.locator('#older').click();
    await showsText('#page-info', `201–${total} of ${total}`);
    await showsRows(total - 200);
    // The oldest message is on the last page.
    expect((await texts(page, '#messages .body')).at(-1)).toBe(sandbox.messages()[0].message);
    expect(await page.locator('#older').isDisabled()).toBe(true);
    await page.locator('#newer').click();
    await showsText('#page-info', `1–200 of ${total}`);
  });

  it('clears the inbox', async () => {
    await page.locator('#clear').click();
    await showsText('#message-count', '0');
    await showsRows(0);
    expect(await page.locator('#messages-empty').isVisible()).toBe(true);
    expect(sandbox.messages()).toEqual([]);
    expect(sandbox.otps()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** A realistic morning: English and Thai texts, a scheduled promo, a reported delivery, an OTP. */
async function seedTools(sandbox: ThaiBulkSmsSandbox, clock: SceneClock, hook: string): Promise<void> {
  await sendSms(sandbox, {
    msisdn: '0812345678',
    message: 'Your order #1042 has shipped. Track it at https://example.com/t/1042',
    sender: 'MySMS',
    force: 'corporate',
    callback_url: hook,
    callback_method: 'POST',
    tag: 'orders,shipping',
  });
  await sendSms(sandbox, {
    msisdn: '0898765432',
    message: 'สวัสดีครับ ยืนยันการนัดหมายวันพรุ่งนี้ เวลา 10:00 น. ที่สาขาสยาม',
    sender: 'Demo',
  });
  await sendSms(sandbox, {
    msisdn: '0812345678,0823456789',
    message: 'Flash sale: 20% off everything until midnight!',
    sender: 'SMS.',
    scheduled_delivery: '2025-01-15T18:00:00+07:00',
    tag: 'promo',
  });
  clock.time += 1500;
  await otp(sandbox, 'request', { msisdn: '0812345678' });
}
