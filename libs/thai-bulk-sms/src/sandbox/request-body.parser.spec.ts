import { listField, parseBody, textField } from './request-body.parser';
import { BoundedHistory } from './bounded.history';
import { RandomIdGenerator } from './message-id.generator';

describe('parseBody', () => {
  it('reads form bodies, turning a repeated key into a list', () => {
    const parsed = parseBody('msisdn=0812345678&tag=a&tag=b&message=hi+there', 'application/x-www-form-urlencoded');
    expect(parsed).toEqual({ ok: true, fields: { msisdn: '0812345678', tag: ['a', 'b'], message: 'hi there' } });
  });

  it('reads JSON by content type, or by its first character when there is none', () => {
    expect(parseBody('{"a":1}', 'application/json; charset=utf-8')).toEqual({ ok: true, fields: { a: 1 } });
    expect(parseBody(' {"a":1}', undefined)).toEqual({ ok: true, fields: { a: 1 } });
    expect(parseBody('[1]', 'application/json')).toMatchObject({ ok: false });
  });

  it('reads list and text fields the way both encodings send them', () => {
    expect(listField({ m: ['1, 2', 3] }, 'm')).toEqual(['1', ' 2', '3']);
    expect(listField({ m: [{}] }, 'm')).toBeNull();
    expect(textField({ n: 5 }, 'n')).toBe('5');
    expect(textField({ n: {} }, 'n')).toBeNull();
    expect(textField({}, 'n')).toBeUndefined();
  });
});

describe('BoundedHistory', () => {
  it('keeps the newest items in order and reports evictions', () => {
    const evicted: number[] = [];
    const history = new BoundedHistory<number>(3, (n) => evicted.push(n));
    for (let i = 1; i <= 5; i++) history.push(i);
    expect(history.toArray()).toEqual([3, 4, 5]);
    expect(history.last()).toBe(5);
    expect(evicted).toEqual([1, 2]);
  });
});

describe('RandomIdGenerator', () => {
  it('makes 22-character base62 ids that do not repeat, and digit strings', () => {
    const ids = new RandomIdGenerator();
    const seen = new Set(Array.from({ length: 5000 }, () => ids.next()));
    expect(seen.size).toBe(5000);
    for (const id of [...seen].slice(0, 50)) expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(ids.digits(6)).toMatch(/^\d{6}$/);
  });
});
