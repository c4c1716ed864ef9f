import { parseDeliveryReport, parseDeliveryReports } from './delivery-report.parser';

describe('parseDeliveryReport', () => {
  it('reads snake_case fields of a GET query', () => {
    const report = parseDeliveryReport({
      message_id: 'abc',
      msisdn: '0812345678',
      status: 'DELIVRD',
      time: '2026-01-02T03:04:05+07:00',
    });
    expect(report).toMatchObject({ messageId: 'abc', phone: '66812345678', status: 'delivered', rawStatus: 'DELIVRD' });
    expect(report.time?.toISOString()).toBe('2026-01-01T20:04:05.000Z');
  });

  it('reads camelCase JSON (the sandbox’s payload)', () => {
    const report = parseDeliveryReport(
      '{"messageId":"m1","phone":"66812345678","status":"failed","time":"2026-01-02T03:04:05Z","error":"Absent subscriber"}',
    );
    expect(report).toMatchObject({
      messageId: 'm1',
      phone: '66812345678',
      status: 'failed',
      error: 'Absent subscriber',
    });
  });

  it('reads a form body and URLSearchParams', () => {
    expect(parseDeliveryReport('msg_id=x1&number=%2B66812345678&state=undeliv')).toMatchObject({
      messageId: 'x1',
      phone: '66812345678',
      status: 'failed',
    });
    expect(parseDeliveryReport(new URLSearchParams({ msgId: 'x2', status: 'delivered' }))).toMatchObject({
      messageId: 'x2',
      status: 'delivered',
    });
  });

  it('never throws, keeps unknown fields and unknown statuses', () => {
    const report = parseDeliveryReport({ message_id: 'a', status: 'queued-at-smsc', extra: { nested: true } });
    expect(report.status).toBe('other');
    expect(report.raw).toEqual({ message_id: 'a', status: 'queued-at-smsc', extra: { nested: true } });
    for (const odd of [undefined, null, 42, 'garbage', [], '{not json'])
      expect(() => parseDeliveryReport(odd)).not.toThrow();
    expect(parseDeliveryReport(undefined)).toEqual({
      status: 'other',
      raw: {},
      messageId: undefined,
      phone: undefined,
      rawStatus: undefined,
      time: undefined,
      error: undefined,
    });
  });

  it('keeps a phone it cannot normalise as received, and reads unix times', () => {
    expect(parseDeliveryReport({ phone: '12345', timestamp: '1767225600' })).toMatchObject({
      phone: '12345',
      time: new Date(1767225600000),
    });
  });

  it('reads batches', () => {
    expect(parseDeliveryReports([{ message_id: 'a' }, { message_id: 'b' }]).map((r) => r.messageId)).toEqual([
      'a',
      'b',
    ]);
    expect(parseDeliveryReports({ reports: [{ message_id: 'c' }] })[0].messageId).toBe('c');
    expect(parseDeliveryReports({ message_id: 'd' })).toHaveLength(1);
  });

  it('never throws on hostile shapes: arrays nested 5000 deep in any field read nothing from them', () => {
    let deep: unknown = ['delivered'];
    for (let i = 0; i < 5000; i++) deep = [deep];
    const payload = { status: deep, message_id: deep, msisdn: deep, error: deep, time: deep };
    expect(() => parseDeliveryReport(payload)).not.toThrow();
    expect(parseDeliveryReport(payload)).toMatchObject({
      status: 'other',
      messageId: undefined,
      phone: undefined,
      rawStatus: undefined,
      error: undefined,
      time: undefined,
    });
    const deepJson = `${'['.repeat(5000)}"delivered"${']'.repeat(5000)}`;
    expect(parseDeliveryReport(`{"status":${deepJson},"msisdn":${deepJson}}`).status).toBe('other');
    expect(() => parseDeliveryReports([payload, payload])).not.toThrow();
  });

  it('reads the first entry of a repeated field only when it is plain text or a number', () => {
    expect(parseDeliveryReport({ status: ['delivered', 'failed'], message_id: [7] })).toMatchObject({
      status: 'delivered',
      messageId: '7',
    });
    expect(parseDeliveryReport({ status: [{ toString: 'delivered' }] }).status).toBe('other');
  });
});
