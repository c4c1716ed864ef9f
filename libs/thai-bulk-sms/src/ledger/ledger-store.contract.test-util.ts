import { randomUUID } from 'node:crypto';
import { sha256 } from './ledger.capture';
import { decodeCursor } from './ledger.cursor';
import { packBatch } from './ledger.packed-batch';
import { bangkokDay } from './ledger.days';
import { LedgerStore } from './ledger.store';
import {
  accepted,
  batchOf,
  daysAgo,
  freshId,
  freshPhone,
  nextSequence,
  reportOf,
} from './ledger-store.fixtures.test-util';

/** The same specs for every LedgerStore: each backend must pass all of them. */
export function ledgerStoreContract(open: () => LedgerStore | undefined): void {
  const store = () => {
    const opened = open();
    if (!opened) throw new Error('the store was not opened');
    return opened;
  };

  it('writes one row per recipient and finds each by message id; a retried write adds nothing', async () => {
    const phone = freshPhone();
    const batch = batchOf(
      [
        accepted(phone),
        { phone: '12345', status: 'rejected', creditsUsed: 0, errorName: 'ERROR_MSISDN', errorSource: 'local' },
      ],
      { tags: ['otp', 'th'], reference: 'order-1', scheduledAt: new Date('2030-01-01T03:00:00Z') },
    );
    await store().write({ kind: 'messages', batch });
    await store().write({ kind: 'messages', batch });
    const messageId = batch.recipients[0].messageId!;
    const found = await store().findMessage(messageId);
    expect(found).toMatchObject({
      messageId,
      phone,
      status: 'accepted',
      sender: 'Demo',
      creditType: 'standard',
      creditsUsed: 1,
      tags: ['otp', 'th'],
      reference: 'order-1',
      registration: 'default',
      events: [{ status: 'accepted', source: 'send' }],
      text: { sha256: sha256('hello'), length: 5, encoding: 'GSM-7', parts: 1 },
    });
    expect(found!.text.full).toBeUndefined();
    expect(found!.createdAt.getTime()).toBe(batch.createdAt.getTime());
    expect(found!.scheduledAt?.toISOString()).toBe('2030-01-01T03:00:00.000Z');
    const page = await store().searchMessages({ phone, limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(await store().findMessage('no-such-id')).toBeUndefined();
  });

  it('stores values as given that a tab-joined column could not carry (a tab, an empty string)', async () => {
    const phone = freshPhone();
    const tabbed = `${freshId('tab')}\twith a tab`;
    const batch = batchOf([
      accepted(phone, tabbed),
      { phone, status: 'rejected', creditsUsed: 0, errorName: '', errorSource: 'local' },
      { phone: 'not\ta number', status: 'rejected', creditsUsed: 0, errorName: 'ERROR_MSISDN', errorSource: 'local' },
    ]);
    await store().write({ kind: 'messages', batch });
    expect(await store().findMessage(tabbed)).toMatchObject({ messageId: tabbed, phone, status: 'accepted' });
    const { items } = await store().searchMessages({ phone, limit: 10 });
    expect(items.map((item) => [item.status, item.errorName ?? null]).sort()).toEqual([
      ['accepted', null],
      ['rejected', ''],
    ]);
  });

  it('writes several requests in one call, in columns or as rows, each once however often it is written', async () => {
    const phone = freshPhone();
    const { recipients, ...fields } = batchOf([accepted(phone), accepted(phone)], { tags: ['packed'] });
    const packed = packBatch(fields, {
      messageId: recipients.map((row) => row.messageId),
      phone: recipients.map((row) => row.phone),
      status: recipients.map((row) => row.status),
      creditsUsed: recipients.map((row) => row.creditsUsed),
      errorName: recipients.map(() => undefined),
      errorSource: recipients.map(() => undefined),
    });
    // A value with a tab sends its column as an array for the whole statement, the packed rows too.
    const odd = batchOf([accepted(phone, `${freshId('odd')}\ttab`)]);
    const plain = batchOf([accepted(phone)], { sender: 'Other' });
    await store().writeMessages([packed, odd, plain]);
    await store().writeMessages([plain, packed]);
    const { items } = await store().searchMessages({ phone, limit: 10 });
    const ids = [...recipients, ...odd.recipients, ...plain.recipients].map((row) => row.messageId);
    expect(items.map((item) => item.messageId).sort()).toEqual([...ids].sort());
    expect(await store().findMessage(recipients[1].messageId!)).toMatchObject({ tags: ['packed'], sender: 'Demo' });
    expect(await store().findMessage(plain.recipients[0].messageId!)).toMatchObject({ sender: 'Other' });
  });

  it('searches newest first with keyset pages that neither skip nor repeat, and filters', async () => {
    const phone = freshPhone();
    const base = Date.now() - 60_000;
    for (let i = 0; i < 7; i++) {
      await store().write({
        kind: 'messages',
        batch: batchOf([accepted(phone), accepted(phone)], {
          createdAt: new Date(base + (i % 3) * 1000), // equal timestamps: the key must still order them
          sender: i % 2 ? 'Odd' : 'Even',
          tags: i === 3 ? ['promo'] : [],
        }),
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store().searchMessages({ phone, limit: 4, after: cursor ? decodeCursor(cursor) : undefined });
      seen.push(...page.items.map((item) => item.messageId!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
    const all = await store().searchMessages({ phone, limit: 200 });
    const times = all.items.map((item) => item.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.items.map((item) => item.messageId)).toEqual(seen);
    expect((await store().searchMessages({ phone, sender: 'Odd', limit: 200 })).items).toHaveLength(6);
    expect((await store().searchMessages({ phone, tag: 'promo', limit: 200 })).items).toHaveLength(2);
    expect((await store().searchMessages({ phone, from: new Date(base + 2000), limit: 200 })).items).toHaveLength(4);
    expect((await store().searchMessages({ phone, to: new Date(base + 1000), limit: 200 })).items).toHaveLength(6);
    expect((await store().searchMessages({ phone, status: 'delivered', limit: 200 })).items).toHaveLength(0);
  });

  it('applies delivery reports by message id: idempotent, out of order, unknown ids kept apart then applied', async () => {
    const phone = freshPhone();
    const batch = batchOf([accepted(phone), accepted(phone), accepted(phone)]);
    const [first, second, third] = batch.recipients.map((row) => row.messageId!);
    const t = batch.createdAt.getTime();
    const unknownBefore = await store().countUnknownReports();

    // A report before its message: kept apart, counted.
    const early = reportOf(third, 'delivered', new Date(t + 500));
    expect(await store().write({ kind: 'report', report: early })).toEqual({ unknownReports: 1 });
    expect(await store().countUnknownReports()).toBe(unknownBefore + 1);
    await store().write({ kind: 'messages', batch });

    const delivered = reportOf(first, 'delivered', new Date(t + 2000));
    const interim = reportOf(first, 'other', new Date(t + 1000));
    await store().write({ kind: 'report', report: delivered });
    await store().write({ kind: 'report', report: interim }); // earlier, arriving later
    await store().write({ kind: 'report', report: delivered }); // duplicate
    const one = await store().findMessage(first);
    expect(one!.status).toBe('delivered');
    expect(one!.events.map((event) => [event.source, event.status])).toEqual([
      ['send', 'accepted'],
      ['report', 'other'],
      ['report', 'delivered'],
    ]);
    expect(one!.events[2].raw).toMatchObject({ message_id: first, status: 'delivered' });

    // Two final reports that disagree: the first one stands, both are in the timeline.
    await store().write({ kind: 'report', report: reportOf(second, 'expired', new Date(t + 1000)) });
    await store().write({ kind: 'report', report: reportOf(second, 'delivered', new Date(t + 3000)) });
    const two = await store().findMessage(second);
    expect(two!.status).toBe('expired');
    expect(two!.events).toHaveLength(3);

    // The early report was applied when its message arrived, and is no longer unknown.
    expect((await store().findMessage(third))!.status).toBe('delivered');
    expect(await store().countUnknownReports()).toBe(unknownBefore);

    const stray = reportOf(freshId('stray'), 'delivered', new Date(t));
    await store().write({ kind: 'report', report: stray });
    await store().write({ kind: 'report', report: stray });
    expect(await store().countUnknownReports()).toBe(unknownBefore + 1);
  });

  it('records OTP requests by token hash and their verify attempts, once each', async () => {
    const phone = freshPhone();
    const token = sha256(randomUUID());
    const id = randomUUID();
    await store().write({
      kind: 'otp-request',
      otp: {
        id,
        createdAt: new Date(),
        registration: 'default',
        phone,
        refno: 'ABC12',
        tokenSha256: token,
        status: 'requested',
      },
    });
    const attempt = { attemptKey: randomUUID(), tokenSha256: token, at: new Date(), outcome: 'failed' as const };
    await store().write({ kind: 'otp-verify', verify: attempt });
    await store().write({ kind: 'otp-verify', verify: attempt }); // the same attempt retried
    await store().write({ kind: 'otp-verify', verify: { ...attempt, attemptKey: randomUUID() } });
    expect(await store().findOtps(phone, 10)).toMatchObject([
      { phone, refno: 'ABC12', status: 'requested', failedAttempts: 2 },
    ]);
    await store().write({ kind: 'otp-verify', verify: { ...attempt, attemptKey: randomUUID(), outcome: 'verified' } });
    // Final: a later expiry or wrong code changes nothing.
    await store().write({ kind: 'otp-verify', verify: { ...attempt, attemptKey: randomUUID(), outcome: 'expired' } });
    await store().write({ kind: 'otp-verify', verify: { ...attempt, attemptKey: randomUUID() } });
    expect(await store().findOtps(phone, 10)).toMatchObject([{ status: 'verified', failedAttempts: 2 }]);
    const expiring = {
      id: randomUUID(),
      createdAt: new Date(),
      registration: 'default',
      phone,
      tokenSha256: sha256(randomUUID()),
    };
    await store().write({ kind: 'otp-request', otp: { ...expiring, status: 'requested' } });
    await store().write({
      kind: 'otp-verify',
      verify: { ...attempt, tokenSha256: expiring.tokenSha256, attemptKey: randomUUID(), outcome: 'expired' },
    });
    expect((await store().findOtps(phone, 10)).map((otp) => otp.status).sort()).toEqual(['expired', 'verified']);
    const erased = await store().erase(phone);
    expect(erased.otps).toBe(2);
    expect(await store().findOtps(phone, 10)).toEqual([]);
  });

  it('reports counts per status, delivery rate and credits per pool by day, sender and tag', async () => {
    const sender = `R${String(nextSequence()).padStart(6, '0')}`.slice(0, 11);
    const phone = freshPhone();
    const at = daysAgo(2);
    const batch = batchOf([accepted(phone), accepted(phone), accepted(phone), accepted(phone)], {
      createdAt: at,
      sender,
      tags: ['a', 'b'],
      creditType: 'corporate',
    });
    await store().write({ kind: 'messages', batch });
    const [d1, d2, u] = batch.recipients.map((row) => row.messageId!);
    for (const id of [d1, d2]) await store().write({ kind: 'report', report: reportOf(id, 'delivered', at) });
    await store().write({ kind: 'report', report: reportOf(u, 'undelivered', at) });
    const from = new Date(at.getTime() - 3_600_000);
    const to = new Date(at.getTime() + 3_600_000);
    const bySender = await store().deliveryReport(from, to, 'sender');
    const mine = bySender.find((group) => group.key === sender)!;
    expect(mine).toEqual({
      key: sender,
      counts: { accepted: 1, rejected: 0, unknown: 0, delivered: 2, undelivered: 1, expired: 0 },
      total: 4,
      deliveryRate: 0.5,
      creditsUsed: { standard: 0, corporate: 4 },
    });
    const byTag = await store().deliveryReport(from, to, 'tag');
    expect(byTag.find((group) => group.key === 'a')!.counts.delivered).toBeGreaterThanOrEqual(2);
    const byDay = await store().deliveryReport(from, to, 'day');
    expect(byDay.map((group) => group.key)).toContain(bangkokDay(at));
    const series = await store().dailySeries(bangkokDay(daysAgo(3)), 3);
    expect(series.map((point) => point.day)).toEqual([
      bangkokDay(daysAgo(3)),
      bangkokDay(daysAgo(2)),
      bangkokDay(daysAgo(1)),
    ]);
    expect(series[1].delivered).toBeGreaterThanOrEqual(2);
    expect(series[1].sent).toBeGreaterThanOrEqual(4);
  });

  it('erases every record of a number: messages, timelines, OTPs, unmatched reports; others stay', async () => {
    const phone = freshPhone();
    const other = freshPhone();
    const batch = batchOf([accepted(phone), accepted(phone), accepted(other)], { createdAt: daysAgo(1) });
    await store().write({ kind: 'messages', batch });
    await store().write({ kind: 'messages', batch: batchOf([accepted(phone)]) });
    await store().write({ kind: 'report', report: reportOf(batch.recipients[0].messageId, 'delivered', new Date()) });
    await store().write({
      kind: 'report',
      report: reportOf(freshId('stray'), 'delivered', new Date(), { phone }),
    });
    await store().write({
      kind: 'otp-request',
      otp: { id: randomUUID(), createdAt: new Date(), registration: 'default', phone, status: 'requested' },
    });
    expect(await store().erase(phone)).toEqual({ messages: 3, otps: 1, events: 1, unknownReports: 1 });
    expect((await store().searchMessages({ phone, limit: 200 })).items).toEqual([]);
    expect(await store().findMessage(batch.recipients[0].messageId!)).toBeUndefined();
    expect((await store().searchMessages({ phone: other, limit: 200 })).items).toHaveLength(1);
    expect(await store().erase(phone)).toEqual({ messages: 0, otps: 0, events: 0, unknownReports: 0 });
  });

  it('purges whole days before the cut-off, partitions and unmatched reports, and keeps the rest', async () => {
    const phone = freshPhone();
    const old = batchOf([accepted(phone), accepted(phone)], { createdAt: daysAgo(40) });
    const recent = batchOf([accepted(phone)], { createdAt: daysAgo(5) });
    await store().write({ kind: 'messages', batch: old });
    await store().write({ kind: 'messages', batch: recent });
    await store().write({ kind: 'report', report: reportOf(old.recipients[0].messageId, 'delivered', daysAgo(39)) });
    await store().write({
      kind: 'report',
      report: reportOf(freshId('stray'), 'delivered', daysAgo(39), { receivedAt: daysAgo(39) }),
    });
    const result = await store().purgeBefore(bangkokDay(daysAgo(30)));
    expect(result.partitionsDropped).toBeGreaterThanOrEqual(3);
    expect(result.unknownReports).toBeGreaterThanOrEqual(1);
    const left = await store().searchMessages({ phone, limit: 200 });
    expect(left.items.map((item) => item.messageId)).toEqual([recent.recipients[0].messageId]);
    expect(await store().findMessage(old.recipients[0].messageId!)).toBeUndefined();
    // Writes for a purged day still work (its partition is made again), and the next purge takes them.
    await store().write({ kind: 'messages', batch: batchOf([accepted(phone)], { createdAt: daysAgo(40) }) });
    expect((await store().searchMessages({ phone, limit: 200 })).items).toHaveLength(2);
    await store().purgeBefore(bangkokDay(daysAgo(30)));
    expect((await store().searchMessages({ phone, limit: 200 })).items).toHaveLength(1);
  });
}
