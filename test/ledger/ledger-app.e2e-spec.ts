import { EventEmitter2 } from '@nestjs/event-emitter';
import request from 'supertest';
import { MessageLedger } from '@app/thai-bulk-sms/ledger';
import { LedgerStore } from '@app/thai-bulk-sms/ledger/ledger.store';
import {
  describeWithPostgres,
  dropSchema,
  tempDataDir,
  testDatabaseUrl,
  uniqueSchema,
} from '@app/thai-bulk-sms/ledger/ledger.test-util';
import type { Env } from '../../src/config/load-app-config';
import { DELIVERY_EVENTS, SmsDeliveryEvent } from '../../src/delivery/delivery.events';
import { createTestApp, TestApp } from '../support/test-app';
import { api, LEDGER_WEBHOOK_TOKEN, report, sendThroughApp } from './ledger-app.support';

jest.setTimeout(60_000);

const DAY_MS = 86_400_000;

/** Every ledger route of the app, against one backend (the environment says which). */
function ledgerRouteSpecs(envOf: () => Env): void {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ...envOf(), DELIVERY_WEBHOOK_TOKEN: LEDGER_WEBHOOK_TOKEN } });
  });
  afterAll(() => t?.close());

  it('GET /messages/:id answers a sent message with its timeline; an unknown id is 404 NOT_FOUND', async () => {
    const [id] = await sendThroughApp(t, { to: '0811110001', sender: 'Demo', tags: ['find'] });
    const res = await api(t).get(`/messages/${id}`).expect(200);
    expect(res.body).toEqual({
      messageId: id,
      phone: '66811110001',
      sender: 'Demo',
      status: 'accepted',
      creditType: 'standard',
      creditsUsed: 1,
      tags: ['find'],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      events: [{ status: 'accepted', at: expect.any(String), source: 'send' }],
    });
    const missing = await api(t).get('/messages/no-such-message-id').expect(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: expect.any(String) });
  });

  it('GET /messages finds a phone in any Thai form, newest first, page by page with the cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(...(await sendThroughApp(t, { to: '0811110002', tags: ['pages'] })));
    const forms = ['0811110002', '+66 81 111 0002', '66811110002'];
    const whole = await Promise.all(forms.map((phone) => api(t).get('/messages').query({ phone }).expect(200)));
    for (const res of whole)
      expect(res.body.items.map((m: { messageId: string }) => m.messageId).sort()).toEqual([...ids].sort());
    const listed = whole[0].body.items as { messageId: string; createdAt: string }[];
    expect(listed.map((m) => m.createdAt)).toEqual([...listed.map((m) => m.createdAt)].sort().reverse());
    expect(whole[0].body.nextCursor).toBeUndefined();

    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await api(t)
        .get('/messages')
        .query({ phone: '0811110002', limit: 1, ...(cursor && { cursor }) })
        .expect(200);
      expect(res.body.items).toHaveLength(1);
      paged.push(res.body.items[0].messageId);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(listed.map((m) => m.messageId));

    const filtered = await api(t)
      .get('/messages')
      .query({ tag: 'pages', status: 'accepted', sender: 'SMS.' })
      .expect(200);
    expect(filtered.body.items).toHaveLength(3);
  });

  it.each([
    [{ phone: '0212345678' }, 'ERROR_MSISDN'],
    [{ status: 'lost' }, 'ERROR_QUERY_STRING'],
    [{ from: 'yesterday' }, 'ERROR_QUERY_STRING'],
    [{ limit: '0' }, 'ERROR_QUERY_STRING'],
    [{ limit: '201' }, 'ERROR_QUERY_STRING'],
    [{ limit: 'ten' }, 'ERROR_QUERY_STRING'],
    [{ cursor: 'Zm9yZ2VkLWN1cnNvcg' }, 'ERROR_QUERY_STRING'],
    [{ from: '2026-12-02', to: '2026-12-01' }, 'ERROR_QUERY_STRING'],
  ])('GET /messages refuses %j with 400 %s', async (query, error) => {
    const res = await api(t).get('/messages').query(query).expect(400);
    expect(res.body).toEqual({ statusCode: 400, error, message: expect.any(String) });
  });

  it('applies out-of-order and duplicate reports once, keeps unknown ones apart, through the webhook', async () => {
    const [id] = await sendThroughApp(t, { to: '0811110003' });
    await report(t, { message_id: id, msisdn: '66811110003', status: 'delivered' });
    await report(t, { message_id: id, msisdn: '66811110003', status: 'delivered' });
    // A late, disagreeing report joins the timeline but never replaces the final state.
    await report(t, { message_id: id, msisdn: '66811110003', status: 'failed', error: 'late' });
    const res = await api(t).get(`/messages/${id}`).expect(200);
    expect(res.body.status).toBe('delivered');
    expect(res.body.events.map((e: { status: string; source: string }) => `${e.source}:${e.status}`)).toEqual([
      'send:accepted',
      'report:delivered',
      'report:undelivered',
    ]);

    const ledger = t.app.get(MessageLedger);
    const before = await ledger.unknownReports();
    await report(t, { message_id: 'never-sent-by-this-app', msisdn: '66811110099', status: 'delivered' });
    await report(t, { message_id: 'never-sent-by-this-app', msisdn: '66811110099', status: 'delivered' });
    expect(await ledger.unknownReports()).toBe(before + 1);
    await api(t).get('/messages/never-sent-by-this-app').expect(404);
  });

  it('has the report before the app emits its delivery events', async () => {
    const [id] = await sendThroughApp(t, { to: '0811110004' });
    const ledger = t.app.get(MessageLedger);
    const seen = new Promise<string | undefined>((resolve) =>
      t.app.get(EventEmitter2).once(DELIVERY_EVENTS.delivered, (event: SmsDeliveryEvent) => {
        // Read at the moment of the event: the ledger must already hold the report.
        void ledger.findMessage(event.messageId!).then((m) => resolve(m?.status));
      }),
    );
    await report(t, { message_id: id, msisdn: '66811110004', status: 'delivered' });
    expect(await seen).toBe('delivered');
  });

  it('GET /reports/delivery counts per status, delivery rate and credits per pool, by day, sender and tag', async () => {
    const ids = await sendThroughApp(t, { to: ['0811110005', '0811110006'], sender: 'MySMS', tags: ['report'] });
    await report(t, { message_id: ids[0], status: 'delivered' });
    await report(t, { message_id: ids[1], status: 'failed' });
    const range = {
      from: new Date(Date.now() - DAY_MS).toISOString(),
      to: new Date(Date.now() + DAY_MS).toISOString(),
    };
    const byTag = await api(t)
      .get('/reports/delivery')
      .query({ ...range, groupBy: 'tag' })
      .expect(200);
    expect(byTag.body.groupBy).toBe('tag');
    expect(byTag.body.groups.find((g: { key: string }) => g.key === 'report')).toEqual({
      key: 'report',
      counts: { accepted: 0, rejected: 0, unknown: 0, delivered: 1, undelivered: 1, expired: 0 },
      total: 2,
      deliveryRate: 0.5,
      creditsUsed: { standard: 2, corporate: 0 },
    });
    const bySender = await api(t)
      .get('/reports/delivery')
      .query({ ...range, groupBy: 'sender' })
      .expect(200);
    expect(bySender.body.groups.map((g: { key: string }) => g.key)).toEqual(expect.arrayContaining(['MySMS', 'SMS.']));
    const byDay = await api(t).get('/reports/delivery').query(range).expect(200);
    expect(byDay.body.groupBy).toBe('day');
    expect(byDay.body.groups.length).toBeGreaterThanOrEqual(1);
    const bad = await api(t)
      .get('/reports/delivery')
      .query({ ...range, groupBy: 'week' })
      .expect(400);
    expect(bad.body.error).toBe('ERROR_QUERY_STRING');
    expect((await api(t).get('/reports/delivery').expect(400)).body.error).toBe('ERROR_QUERY_STRING');
  });

  it('DELETE /subjects/:phone erases the number; no route finds anything of it afterwards', async () => {
    const ids = [
      ...(await sendThroughApp(t, { to: '0811110007', tags: ['erase-me'] })),
      ...(await sendThroughApp(t, { to: ['66811110007', '0811110008'], tags: ['erase-me'] })),
    ];
    await report(t, { message_id: ids[0], status: 'delivered' });
    await api(t).post('/otp/request', { phone: '0811110007' }).expect(201);
    const erased = await api(t).delete('/subjects/+66%2081%20111%200007').expect(200);
    expect(erased.body).toEqual({ erased: { messages: 2, otps: 1, optOut: 'not-listed' } });

    for (const id of ids.slice(0, 2)) await api(t).get(`/messages/${id}`).expect(404);
    await api(t).get(`/messages/${ids[2]}`).expect(200);
    expect((await api(t).get('/messages').query({ phone: '0811110007' }).expect(200)).body.items).toEqual([]);
    const tagged = (await api(t).get('/messages').query({ tag: 'erase-me' }).expect(200)).body.items;
    expect(tagged.map((m: { phone: string }) => m.phone)).toEqual(['66811110008']);
    expect(await t.app.get(MessageLedger).findOtps('0811110007')).toEqual([]);
    expect((await api(t).delete('/subjects/0811110007').expect(200)).body).toEqual({
      erased: { messages: 0, otps: 0, optOut: 'not-listed' },
    });
    expect((await api(t).delete('/subjects/12345').expect(400)).body.error).toBe('ERROR_MSISDN');
  });

  it("keeps the opt-out list in the ledger's database; DELETE /subjects/:phone removes it, or keeps only a hash when asked", async () => {
    await api(t).post('/suppressions', { phone: '0811110031', scope: 'all' }).expect(201);
    await api(t).post('/suppressions', { phone: '0811110032', scope: 'all', keepAfterErasure: true }).expect(201);
    const store = t.app.get(MessageLedger).suppressionList();
    expect(await store.get('66811110031')).toMatchObject({ phone: '66811110031', scope: 'all' });

    expect((await api(t).delete('/subjects/0811110031').expect(200)).body.erased.optOut).toBe('removed');
    expect((await api(t).delete('/subjects/+66811110032').expect(200)).body.erased.optOut).toBe('kept-as-hash');
    await api(t).get('/suppressions/0811110031').expect(404);
    expect(await store.get('66811110031')).toBeUndefined();
    const sent = await api(t)
      .post('/sms', { to: ['0811110031', '0811110032'], message: 'Your order shipped' })
      .expect(201);
    expect(sent.body.rejected).toEqual([{ phone: '66811110032', reason: 'RECIPIENT_OPTED_OUT' }]);
    expect(sent.body.accepted.map((a: { phone: string }) => a.phone)).toEqual(['66811110031']);
  });

  it('shows the ledger in GET /health, from one database ping per HEALTH_CACHE_SECONDS however many calls', async () => {
    t.clock.advance(60_000); // past any earlier cached check
    const ping = jest.spyOn(t.app.get(LedgerStore), 'ping');
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => request(t.server).get('/health')));
      for (const res of answers) expect(res.body.details.ledger).toEqual({ status: 'up', state: 'up' });
      await request(t.server).get('/health').expect(200);
      expect(ping).toHaveBeenCalledTimes(1);
      t.clock.advance(10_001);
      await request(t.server).get('/health').expect(200);
      expect(ping).toHaveBeenCalledTimes(2);
    } finally {
      ping.mockRestore();
    }
  });

  it("shows a phone's messages, a message's timeline and the 14-day chart in the console", async () => {
    const [id] = await sendThroughApp(t, { to: '0811110011', tags: ['console'] });
    await report(t, { message_id: id, status: 'delivered' });
    const search = await api(t).get('/console').query({ q: '+66811110011' }).expect(200);
    expect(search.text).toContain(`href="/console/messages/${id}"`);
    expect(search.text).toContain('id="daily-chart"');
    const timeline = await api(t).get(`/console/messages/${id}`).expect(200);
    expect(timeline.text).toMatch(/<td>\s*report\s*<\/td>\s*<td class="status">\s*delivered\s*<\/td>/);
  });

  it.each(['/messages', '/messages/x', '/reports/delivery'])('GET %s needs the key', async (path) => {
    expect((await request(t.server).get(path).expect(401)).body.error).toBe('UNAUTHORIZED');
  });
}

describe('ledger routes on the embedded store (PGlite in a temporary folder)', () => {
  const data = tempDataDir('app-routes');
  afterAll(() => data.remove());
  ledgerRouteSpecs(() => ({ LEDGER_ENABLED: 'true', LEDGER_DATA_DIR: data.dir }));
});

describeWithPostgres('ledger routes on PostgreSQL (a schema of its own per run, dropped after)', () => {
  const schema = uniqueSchema('app_routes');
  afterAll(() => dropSchema(schema));
  ledgerRouteSpecs(() => ({ LEDGER_ENABLED: 'true', DATABASE_URL: testDatabaseUrl(), LEDGER_SCHEMA: schema }));
});

describe('the app restarted on the embedded store', () => {
  const data = tempDataDir('app-restart');
  afterAll(() => data.remove());

  it('still finds the records of the previous run', async () => {
    const env = { LEDGER_ENABLED: 'true', LEDGER_DATA_DIR: data.dir, DELIVERY_WEBHOOK_TOKEN: LEDGER_WEBHOOK_TOKEN };
    const first = await createTestApp({ env });
    let id: string;
    try {
      [id] = await sendThroughApp(first, { to: '0811110010', tags: ['restart'] });
      await report(first, { message_id: id, status: 'delivered' });
    } finally {
      await first.close();
    }
    const second = await createTestApp({ env });
    try {
      const res = await api(second).get(`/messages/${id}`).expect(200);
      expect(res.body).toMatchObject({ messageId: id, phone: '66811110010', status: 'delivered', tags: ['restart'] });
      expect(res.body.events).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});
