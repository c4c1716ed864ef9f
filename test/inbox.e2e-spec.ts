import { mkdirSync, readFileSync } from 'node:fs';
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
