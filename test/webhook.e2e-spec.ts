import { EventEmitter2 } from '@nestjs/event-emitter';
import request from 'supertest';
import { DELIVERY_EVENTS, SmsDeliveryEvent } from '../src/delivery/delivery.events';
import { createTestApp, TestApp } from './support/test-app';

const TOKEN = 'webhook-secret-token-0123456789';

/** Collects the delivery events the app emits. */
function recordEvents(t: TestApp) {
  const events: Array<{ name: string; event: SmsDeliveryEvent }> = [];
  const emitter = t.app.get(EventEmitter2);
  for (const name of Object.values(DELIVERY_EVENTS))
    emitter.on(name, (event: SmsDeliveryEvent) => events.push({ name, event }));
  const next = async (count = 1) => {
    for (let i = 0; i < 200 && events.length < count; i++) await new Promise((r) => setTimeout(r, 5));
    return events;
  };
  return { events, next };
}

describe('Delivery-report webhook', () => {
  let t: TestApp;
  let rec: ReturnType<typeof recordEvents>;
  const path = `/webhooks/thaibulksms/${TOKEN}`;

  beforeAll(async () => {
    t = await createTestApp({ env: { DELIVERY_WEBHOOK_TOKEN: TOKEN, PUBLIC_BASE_URL: 'https://sms.example.com/' } });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.sandbox.reset();
    rec = recordEvents(t);
  });
  afterEach(() =>
    t.app.get(EventEmitter2).removeAllListeners(DELIVERY_EVENTS.delivered).removeAllListeners(DELIVERY_EVENTS.failed),
  );

  it('accepts a GET with a query string and emits sms.delivered', async () => {
    const res = await request(t.server).get(
      `${path}?message_id=abc123&msisdn=66812345678&status=delivered&time=2030-01-01T10:00:00%2B07:00`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    const [{ name, event }] = await rec.next();
    expect(name).toBe('sms.delivered');
    expect(event).toMatchObject({
      messageId: 'abc123',
      phone: '66812345678',
      status: 'delivered',
      raw: expect.objectContaining({ message_id: 'abc123' }),
    });
  });

  it('accepts a POST form and emits sms.failed with the error', async () => {
    const res = await request(t.server)
      .post(path)
      .type('form')
      .send({ message_id: 'm1', phone: '0812345678', status: 'failed', error: 'Absent subscriber' });
    expect(res.status).toBe(200);
    const [{ name, event }] = await rec.next();
    expect(name).toBe('sms.failed');
    expect(event).toMatchObject({
      messageId: 'm1',
      phone: '66812345678',
      status: 'failed',
      error: 'Absent subscriber',
    });
  });

  it('accepts a POST JSON body, normalising field names (messageId, DELIVRD)', async () => {
    await request(t.server)
      .post(path)
      .send({ messageId: 'm2', msisdn: '+66898765432', status: 'DELIVRD', extra: { nested: true } })
      .expect(200);
    const [{ name, event }] = await rec.next();
    expect(name).toBe('sms.delivered');
    expect(event).toMatchObject({ messageId: 'm2', phone: '66898765432' });
  });

  it('accepts a PUT too (callback_method PUT)', async () => {
    await request(t.server)
      .put(path)
      .send({ message_id: 'm4', msisdn: '66812345678', status: 'delivered' })
      .expect(200);
    const [{ name }] = await rec.next();
    expect(name).toBe('sms.delivered');
  });

  it('answers 2xx to a report it cannot read, and emits nothing', async () => {
    await request(t.server).post(path).send({ something: 'else' }).expect(200);
    await request(t.server).post(path).send({ message_id: 'm3', status: 'queued-at-smsc' }).expect(200);
    await new Promise((r) => setTimeout(r, 30));
    expect(rec.events).toEqual([]);
  });

  it('needs no x-api-key, but the right token: anything else is 404 and emits nothing', async () => {
    for (const wrong of ['wrong-token-0123456789-abcdef', TOKEN.slice(0, -1), `${TOKEN}x`]) {
      const res = await request(t.server).get(`/webhooks/thaibulksms/${wrong}?message_id=x&status=delivered`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: expect.any(String) });
    }
    await request(t.server).get('/webhooks/thaibulksms').expect(404);
    await new Promise((r) => setTimeout(r, 30));
    expect(rec.events).toEqual([]);
  });

  it('answers fast even when a listener is slow', async () => {
    t.app.get(EventEmitter2).on(DELIVERY_EVENTS.delivered, () => void new Promise((r) => setTimeout(r, 2_000)));
    const started = Date.now();
    await request(t.server).get(`${path}?message_id=slow&status=delivered`).expect(200);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('gives sends without a callbackUrl the webhook under PUBLIC_BASE_URL', async () => {
    await request(t.server).post('/sms').set('x-api-key', t.key).send({ to: '0812345678', message: 'Hi' }).expect(201);
    expect(t.sandbox.lastMessage()).toMatchObject({
      callbackUrl: `https://sms.example.com${path}`,
      callbackMethod: 'POST',
    });
    await request(t.server)
      .post('/alerts')
      .set('x-api-key', t.key)
      .send({ to: ['0812345678'], message: 'Hi' })
      .expect(201);
    expect(t.sandbox.lastMessage()?.callbackUrl).toBe(`https://sms.example.com${path}`);
  });

  it('keeps a callbackUrl the caller gave', async () => {
    await request(t.server)
      .post('/sms')
      .set('x-api-key', t.key)
      .send({ to: '0812345678', message: 'Hi', callbackUrl: 'https://other.example.com/dlr', callbackMethod: 'GET' })
      .expect(201);
    expect(t.sandbox.lastMessage()).toMatchObject({
      callbackUrl: 'https://other.example.com/dlr',
      callbackMethod: 'GET',
    });
  });
});

describe('Delivery reports end to end in sandbox mode (the sandbox calls the app back)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
  });
  afterAll(() => t.close());

  it('a send comes back as sms.delivered / sms.failed events', async () => {
    const rec = recordEvents(t);
    t.sandbox.setFailingNumbers(['0898765432']);
    const res = await request(t.server)
      .post('/sms')
      .set('x-api-key', t.key)
      .send({ to: ['0812345678', '0898765432'], message: 'Hi' })
      .expect(201);
    expect(t.sandbox.lastMessage()?.callbackUrl).toMatch(
      new RegExp(`^${t.url}/webhooks/thaibulksms/[A-Za-z0-9_-]{16,}$`),
    );
    await t.sandbox.flushDeliveryReports();
    const events = await rec.next(2);
    const byPhone = Object.fromEntries(events.map((e) => [e.event.phone, e]));
    const ids = Object.fromEntries(
      res.body.accepted.map((a: { phone: string; messageId: string }) => [a.phone, a.messageId]),
    );
    expect(byPhone['66812345678']).toMatchObject({ name: 'sms.delivered', event: { messageId: ids['66812345678'] } });
    expect(byPhone['66898765432']).toMatchObject({
      name: 'sms.failed',
      event: { messageId: ids['66898765432'], error: expect.any(String) },
    });
  });
});

describe('Webhook off', () => {
  it('outside sandbox mode without DELIVERY_WEBHOOK_TOKEN, the route answers 404 and sends carry no callback', async () => {
    // Live mode pointed at a sandbox we start ourselves, so nothing leaves the machine.
    const { ThaiBulkSmsSandbox, SANDBOX_DEFAULT_CREDENTIALS: c } = await import('@app/thai-bulk-sms/sandbox');
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
    const { Test } = await import('@nestjs/testing');
    const { AppModule } = await import('../src/app.module');
    const { loadConfiguration } = await import('../src/config/app-config.module');
    const { configureApp } = await import('../src/configure-app');
    const configuration = await loadConfiguration({
      THAIBULKSMS_API_KEY: c.apiKey,
      THAIBULKSMS_API_SECRET: c.apiSecret,
      THAIBULKSMS_OTP_KEY: c.otpKey,
      THAIBULKSMS_OTP_SECRET: c.otpSecret,
      THAIBULKSMS_BASE_URL: sandbox.url,
      THAIBULKSMS_OTP_BASE_URL: sandbox.url,
      APP_API_KEYS: 'a-live-key-0123456789',
      COMPLIANCE_ERASURE_KEY: 'a-live-erasure-key-0123456789abcdefgh',
      LEDGER_ENABLED: 'false',
    });
    expect(configuration.values.sandbox.enabled).toBe(false);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ configuration })] }).compile();
    const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    configureApp(app);
    await app.init();
    try {
      await request(app.getHttpServer())
        .get('/webhooks/thaibulksms/anything-at-all-0123456789?status=delivered')
        .expect(404);
      await request(app.getHttpServer())
        .post('/sms')
        .set('x-api-key', 'a-live-key-0123456789')
        .send({ to: '0812345678', message: 'Hi' })
        .expect(201);
      expect(sandbox.lastMessage()?.callbackUrl).toBeUndefined();
    } finally {
      await app.close();
      await sandbox.close();
    }
  });
});
