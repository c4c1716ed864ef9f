import { ThaiBulkSmsUnconfirmedSendError } from '../errors';
import { estimateMessage } from '../message';
import type { SmsRequestObserved } from '../observers/thai-bulk-sms.observer';
import { messageBatchOf } from './ledger.capture';

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
});
