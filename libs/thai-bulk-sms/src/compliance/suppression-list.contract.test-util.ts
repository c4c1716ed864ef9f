import { ThaiBulkSmsRequestError } from '../errors';
import { SuppressionList, SuppressionListOptions } from './suppression-list';

/** An erasure key for the specs (32 characters or more). */
export const TEST_ERASURE_KEY = 'test-erasure-key-0123456789abcdef';

/** Everything a store holds, as text, to check that an erased number is not in it. */
export type StoredText = (list: SuppressionList) => Promise<string>;

/** What every store must do, whatever keeps it. */
export function suppressionListContract(
  make: (options?: SuppressionListOptions) => SuppressionList,
  stored: StoredText,
): void {
  let list: SuppressionList;
  beforeEach(() => {
    list = make({ erasureKey: TEST_ERASURE_KEY });
  });

  it('keys by the normalised number: any Thai form is the same phone', async () => {
    const at = new Date('2030-01-15T05:00:00Z');
    await expect(list.add('081-234-5678', { reason: 'replied STOP', at })).resolves.toEqual({
      phone: '66812345678',
      scope: 'marketing',
      reason: 'replied STOP',
      at,
    });
    for (const form of ['0812345678', '+66812345678', '66 81 234 5678', '(081) 234.5678'])
      await expect(list.get(form)).resolves.toMatchObject({ phone: '66812345678', scope: 'marketing' });
    await expect(list.get('0898765432')).resolves.toBeUndefined();
    await expect(list.get('not a number')).resolves.toBeUndefined();
  });

  it('keeps the wider scope when a number is added again, with the new reason and time', async () => {
    await list.add('0812345678', { scope: 'all', reason: 'asked for nothing', at: new Date(1_000) });
    const again = await list.add('0812345678', { scope: 'marketing', reason: 'STOP', at: new Date(2_000) });
    expect(again).toEqual({ phone: '66812345678', scope: 'all', reason: 'STOP', at: new Date(2_000) });
    await expect(list.get('0812345678')).resolves.toEqual(again);
    await list.add('0898765432', { scope: 'marketing' });
    await expect(list.add('0898765432', { scope: 'all' })).resolves.toMatchObject({ scope: 'all' });
  });

  it('removes, and answers whether the number was on the list', async () => {
    await list.add('0812345678');
    await expect(list.remove('+66812345678')).resolves.toBe(true);
    await expect(list.remove('0812345678')).resolves.toBe(false);
    await expect(list.remove('nonsense')).resolves.toBe(false);
    await expect(list.get('0812345678')).resolves.toBeUndefined();
  });

  it('answers the scope of each number of a batch, in order, also past one command', async () => {
    await list.add('0812345678', { scope: 'marketing' });
    await list.add('0898765432', { scope: 'all' });
    const numbers = Array.from({ length: 2_500 }, (_, i) => `6681${String(i).padStart(7, '0')}`);
    numbers[7] = '66812345678';
    numbers[2_499] = '66898765432';
    const scopes = await list.scopesOf(numbers);
    expect(scopes).toHaveLength(2_500);
    expect(scopes[7]).toBe('marketing');
    expect(scopes[2_499]).toBe('all');
    expect(scopes.filter((scope) => scope !== undefined)).toHaveLength(2);
    await expect(list.scopesOf([])).resolves.toEqual([]);
  });

  it('refuses what is not a Thai mobile number, a bad scope or an overlong reason, storing nothing', async () => {
    await expect(list.add('0123')).rejects.toMatchObject({ errorName: 'ERROR_MSISDN' });
    await expect(list.add('0812345678', { scope: 'everything' as never })).rejects.toBeInstanceOf(
      ThaiBulkSmsRequestError,
    );
    await expect(list.add('0812345678', { reason: 'x'.repeat(201) })).rejects.toMatchObject({
      errorName: 'ERROR_FORM',
    });
    await expect(list.get('0812345678')).resolves.toBeUndefined();
  });

  erasureContract(make, stored);
}

/** PDPA erasure: the entry goes, or stays as a keyed hash only when the person asked to stay opted out. */
function erasureContract(make: (options?: SuppressionListOptions) => SuppressionList, stored: StoredText): void {
  let list: SuppressionList;
  beforeEach(() => {
    list = make({ erasureKey: TEST_ERASURE_KEY });
  });

  it('erasure drops an entry not marked keepAfterErasure, in any Thai form', async () => {
    await list.add('0812345678', { scope: 'all', reason: 'asked by phone' });
    await expect(list.eraseSubject('+66 81 234 5678')).resolves.toBe('removed');
    await expect(list.get('0812345678')).resolves.toBeUndefined();
    await expect(list.scopesOf(['66812345678'])).resolves.toEqual([undefined]);
    await expect(list.eraseSubject('0812345678')).resolves.toBe('not-listed');
    await expect(list.eraseSubject('nonsense')).resolves.toBe('not-listed');
    expect(await stored(list)).not.toContain('812345678');
  });

  it('erasure keeps an entry marked keepAfterErasure as a keyed hash only: still refused, number and reason gone', async () => {
    const at = new Date('2030-02-01T03:00:00Z');
    await expect(
      list.add('0812345678', { scope: 'all', reason: 'Somchai said STOP', at, keepAfterErasure: true }),
    ).resolves.toEqual({ phone: '66812345678', scope: 'all', reason: 'Somchai said STOP', at, keepAfterErasure: true });
    await list.add('0898765432', { reason: 'other' });
    await expect(list.eraseSubject('081-234-5678')).resolves.toBe('kept-as-hash');

    const text = await stored(list);
    expect(text).not.toContain('812345678');
    expect(text).not.toContain('Somchai');
    expect(text).toContain('898765432');
    await expect(list.get('0812345678')).resolves.toEqual({
      phone: '66812345678',
      scope: 'all',
      at,
      keepAfterErasure: true,
      erased: true,
    });
    const numbers = Array.from({ length: 2_500 }, (_, i) => `6681${String(i).padStart(7, '0')}`);
    numbers[1_700] = '66812345678';
    numbers[3] = '66898765432';
    const scopes = await list.scopesOf(numbers);
    expect(scopes[1_700]).toBe('all');
    expect(scopes[3]).toBe('marketing');
    expect(scopes.filter((scope) => scope !== undefined)).toHaveLength(2);
    // Asked again (the erasure service retried): nothing more to do, still kept.
    await expect(list.eraseSubject('0812345678')).resolves.toBe('kept-as-hash');
  });

  it('a number kept as a hash can be added again (wider scope wins) and removed for good', async () => {
    await list.add('0812345678', { scope: 'all', keepAfterErasure: true });
    await list.eraseSubject('0812345678');
    await list.add('0812345678', { scope: 'marketing', reason: 'again' });
    await expect(list.scopesOf(['66812345678'])).resolves.toEqual(['all']);
    await expect(list.get('0812345678')).resolves.toMatchObject({ scope: 'marketing', reason: 'again' });
    await expect(list.remove('0812345678')).resolves.toBe(true);
    await expect(list.get('0812345678')).resolves.toBeUndefined();
    await expect(list.scopesOf(['66812345678'])).resolves.toEqual([undefined]);
    await expect(list.eraseSubject('0812345678')).resolves.toBe('not-listed');
  });

  it('refuses keepAfterErasure without an erasure key, or not a boolean', async () => {
    const keyless = make();
    await expect(keyless.add('0812345678', { keepAfterErasure: true })).rejects.toThrow(/erasureKey/);
    await expect(list.add('0812345678', { keepAfterErasure: 'yes' as never })).rejects.toMatchObject({
      errorName: 'ERROR_FORM',
    });
    await keyless.add('0898765432');
    await expect(keyless.eraseSubject('0898765432')).resolves.toBe('removed');
  });
}
