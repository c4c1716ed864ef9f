import { ThaiBulkSmsUnconfirmedSendError } from '../errors';
import { estimateMessage } from '../message';
import type { SmsRequestObserved } from '../observers/thai-bulk-sms.observer';
import { messageBatchOf } from './ledger.capture';
import { PackedMessageBatch, rowCount, withoutPhone } from './ledger.packed-batch';

const send = {
  sender: 'Demo',
  message: 'hi',
  estimate: estimateMessage('hi'),
  creditType: 'standard' as const,
  category: 'transactional' as const,
  tags: [],
};

describe('messageBatchOf', () => {
  it('records a partly confirmed send: its confirmed numbers as answered, the rest unknown', () => {
    const error = new ThaiBulkSmsUnconfirmedSendError({
      upstreamStatus: 201,
      problem: 'without 1 of 3 numbers',
      unconfirmed: ['66898765432'],
      accepted: [{ phone: '66812345678', messageId: 'm-1', credits: 1 }],
      rejected: [{ phone: '66811111111', reason: 'Phone number is invalid.' }],
    });
    const event: SmsRequestObserved = {
      registration: 'default',
      at: new Date(0),
      send,
      msisdns: ['66812345678', '66811111111', '66898765432'],
      localRejects: [],
      error,
      mayHaveTakenEffect: true,
      partial: {
        accepted: error.accepted,
        rejected: error.rejected,
        creditsUsed: error.creditsUsed,
        unconfirmed: error.unconfirmed,
      },
    };
    const rows = messageBatchOf(event, 'hash').recipients.map(({ phone, status, messageId }) => ({
      phone,
      status,
      messageId,
    }));
    expect(rows).toEqual([
      { phone: '66812345678', status: 'accepted', messageId: 'm-1' },
      { phone: '66811111111', status: 'rejected', messageId: undefined },
      { phone: '66898765432', status: 'unknown', messageId: undefined },
    ]);
  });

  const answered = (accepted: { phone: string; messageId: string; credits: number }[]): SmsRequestObserved => ({
    registration: 'default',
    at: new Date(0),
    send,
    msisdns: accepted.map((row) => row.phone),
    localRejects: [{ phone: '12345', reason: 'invalid' }],
    result: {
      accepted,
      rejected: [{ phone: '66811111111', reason: 'Phone number is invalid.' }],
      creditType: 'standard',
      creditsUsed: accepted.length,
      creditsRemaining: 100,
    },
  });

  it('keeps an answered request in columns, and gives back every row as captured', () => {
    const batch = messageBatchOf(
      answered([
        { phone: '66812345678', messageId: 'm-1', credits: 1 },
        { phone: '66812345679', messageId: 'm-2', credits: 2 },
      ]),
      'hash',
    );
    expect(batch).toBeInstanceOf(PackedMessageBatch);
    expect(rowCount(batch)).toBe(4);
    expect(batch.recipients).toEqual([
      { ordinal: 0, phone: '66812345678', status: 'accepted', creditsUsed: 1, messageId: 'm-1' },
      { ordinal: 1, phone: '66812345679', status: 'accepted', creditsUsed: 2, messageId: 'm-2' },
      {
        ordinal: 2,
        phone: '66811111111',
        status: 'rejected',
        creditsUsed: 0,
        errorName: 'ERROR_MSISDN',
        errorSource: 'vendor',
      },
      {
        ordinal: 3,
        phone: '12345',
        status: 'rejected',
        creditsUsed: 0,
        errorName: 'ERROR_MSISDN',
        errorSource: 'local',
      },
    ]);
    const trimmed = withoutPhone(batch, '66812345678')!;
    expect(rowCount(trimmed)).toBe(3);
    expect(trimmed.recipients.map((row) => [row.ordinal, row.messageId])).toEqual([
      [1, 'm-2'],
      [2, undefined],
      [3, undefined],
    ]);
    expect(trimmed).toMatchObject({ requestId: batch.requestId, sender: 'Demo', createdAt: batch.createdAt });
  });

  it('keeps rows as objects when a value would not survive a tab join', () => {
    const batch = messageBatchOf(answered([{ phone: '66812345678', messageId: 'id\twith a tab', credits: 1 }]), 'hash');
    expect(batch).not.toBeInstanceOf(PackedMessageBatch);
    expect(batch.recipients[0]).toMatchObject({ ordinal: 0, messageId: 'id\twith a tab', status: 'accepted' });
  });
});
