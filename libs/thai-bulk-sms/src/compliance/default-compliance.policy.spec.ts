import { Logger } from '@nestjs/common';
import {
  LinkNotRegisteredError,
  LinkShortenerNotAllowedError,
  OptOutTextMissingError,
  OutsideSendingHoursError,
  ScheduledOutsideSendingHoursError,
  ShortenUrlNotAllowedError,
  SuppressionListUnavailableError,
} from '../errors';
import { DefaultThaiBulkSmsCompliancePolicy } from './default-compliance.policy';
import { InMemorySuppressionList } from './in-memory-suppression-list';
import { ThaiBulkSmsComplianceOptions } from './thai-bulk-sms-compliance.options';
import { resolveComplianceOptions } from './thai-bulk-sms-compliance.options-validation';

const bangkok = (wall: string) => Date.parse(`${wall}+07:00`);
const NOON = bangkok('2030-01-15T12:00:00.000');
const NIGHT = bangkok('2030-01-15T22:00:00.000');
const OPT_OUT = 'ยกเลิกรับข่าวสาร ส่ง STOP 4000000';
const context = (nowMs = NOON, extra: object = {}) => ({ nowMs, registration: 'default', ...extra });

function policy(options: ThaiBulkSmsComplianceOptions = {}): DefaultThaiBulkSmsCompliancePolicy {
  return new DefaultThaiBulkSmsCompliancePolicy(
    resolveComplianceOptions({ mode: 'strict', allowedLinkHosts: ['example.co.th'], optOutText: OPT_OUT, ...options }),
  );
}

describe('DefaultThaiBulkSmsCompliancePolicy', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  describe('strict', () => {
    it('appends the opt-out line to marketing only, once, and leaves other sends as they are', () => {
      const strict = policy();
      const send = { message: 'Sale today at example.co.th/sale' };
      const checked = strict.checkSend(send, 'marketing', context());
      expect(checked.message).toBe(`Sale today at example.co.th/sale\n${OPT_OUT}`);
      expect(strict.checkSend(checked, 'marketing', context()).message).toBe(checked.message);
      expect(strict.checkSend(send, 'transactional', context())).toBe(send);
      expect(strict.checkSend(send, 'otp', context())).toBe(send);
      expect(strict.messageFor('hi', 'marketing')).toBe(`hi\n${OPT_OUT}`);
      expect(strict.messageFor('hi', 'transactional')).toBe('hi');
    });

    it('refuses a marketing message without the opt-out line when it is not appended or not configured', () => {
      expect(() => policy({ appendOptOutText: false }).checkSend({ message: 'Sale' }, 'marketing', context())).toThrow(
        OptOutTextMissingError,
      );
      const withLine = { message: `Sale. ${OPT_OUT.toUpperCase()}` };
      expect(policy({ appendOptOutText: false }).checkSend(withLine, 'marketing', context())).toBe(withLine);
      expect(() => policy({ optOutText: undefined }).checkSend({ message: 'Sale' }, 'marketing', context())).toThrow(
        OptOutTextMissingError,
      );
      // Transactional and OTP messages need none.
      expect(() =>
        policy({ optOutText: undefined }).checkSend({ message: 'Hi' }, 'transactional', context()),
      ).not.toThrow();
    });

    it('refuses links to other hosts and shorteners in every category, and shortenUrl', () => {
      const strict = policy();
      for (const category of ['otp', 'transactional', 'marketing'] as const) {
        expect(() => strict.checkSend({ message: 'see evil.com' }, category, context())).toThrow(
          LinkNotRegisteredError,
        );
        expect(() => strict.checkSend({ message: 'see https://bit.ly/x' }, category, context())).toThrow(
          LinkShortenerNotAllowedError,
        );
        expect(() => strict.checkSend({ message: 'hi', shortenUrl: true }, category, context())).toThrow(
          ShortenUrlNotAllowedError,
        );
      }
      expect(() =>
        strict.checkSend({ message: 'see https://www.example.co.th/a', shortenUrl: false }, 'otp', context()),
      ).not.toThrow();
    });

    it('refuses marketing outside 09:00-21:00 Bangkok with the next opening, and a schedule in quiet hours', () => {
      const strict = policy();
      const send = { message: 'Sale' };
      expect(() => strict.checkSend(send, 'marketing', context(bangkok('2030-01-15T20:59:59.999')))).not.toThrow();
      let error: unknown;
      try {
        strict.checkSend(send, 'marketing', context(bangkok('2030-01-15T21:00:00.000')));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(OutsideSendingHoursError);
      expect((error as OutsideSendingHoursError).opensAt.getTime()).toBe(bangkok('2030-01-16T09:00:00.000'));
      expect((error as OutsideSendingHoursError).message).toContain('2030-01-16 09:00');
      expect(() => strict.checkSend(send, 'transactional', context(NIGHT))).not.toThrow();
      // Scheduled: the schedule decides, not the moment of the request.
      const inHours = { message: 'Sale', scheduledAt: '2030-01-16T10:00:00+07:00' };
      expect(() => strict.checkSend(inHours, 'marketing', context(NIGHT))).not.toThrow();
      const quiet = { message: 'Sale', scheduledAt: '2030-01-16T14:30:00Z' }; // 21:30 in Bangkok
      expect(() => strict.checkSend(quiet, 'marketing', context(NOON))).toThrow(ScheduledOutsideSendingHoursError);
      expect(() =>
        strict.checkSend({ message: 'Sale', scheduledAt: '2030-01-16T02:00:00Z' }, 'marketing', context(NIGHT)),
      ).not.toThrow(); // 09:00 in Bangkok
    });

    it('counts what it refused, but not dry runs', () => {
      const strict = policy();
      expect(() => strict.checkSend({ message: 'evil.com' }, 'transactional', context())).toThrow();
      expect(() =>
        strict.checkSend({ message: 'evil.com' }, 'transactional', context(NOON, { dryRun: true })),
      ).toThrow();
      expect(strict.stats()).toMatchObject({ mode: 'strict', refused: { LINK_NOT_REGISTERED: 1 }, warned: {} });
    });
  });

  describe('warn', () => {
    it('sends anyway, logging each rule with a masked number and never the message text, and counts it', () => {
      const lenient = policy({ mode: 'warn', optOutText: undefined });
      const send = { message: 'Secret sale at evil.com and bit.ly/x', shortenUrl: true };
      const recipients = ['66812345678', '66898765432'];
      expect(lenient.checkSend(send, 'marketing', context(NIGHT, { recipients }))).toBe(send);
      const lines = warn.mock.calls.map(([line]) => String(line));
      expect(lines).toHaveLength(5);
      expect(lines.map((line) => /(\w+_\w+[A-Z_]*) on a marketing/.exec(line)?.[1])).toEqual([
        'SHORTEN_URL_NOT_ALLOWED',
        'LINK_NOT_REGISTERED',
        'LINK_SHORTENER_NOT_ALLOWED',
        'OPT_OUT_TEXT_MISSING',
        'OUTSIDE_SENDING_HOURS',
      ]);
      // The reason for shortenUrl is given; no message text, host or full number ever is.
      expect(lines[0]).toContain('provider’s short links');
      for (const line of lines) {
        expect(line).toContain('081xxxx678');
        for (const secret of ['Secret', 'evil.com', 'bit.ly', '66812345678', '0812345678', '0898765432'])
          expect(line).not.toContain(secret);
      }
      expect(lenient.stats().warned).toEqual({
        SHORTEN_URL_NOT_ALLOWED: 1,
        LINK_NOT_REGISTERED: 1,
        LINK_SHORTENER_NOT_ALLOWED: 1,
        OPT_OUT_TEXT_MISSING: 1,
        OUTSIDE_SENDING_HOURS: 1,
      });
    });

    it('logs nothing for a dry run', () => {
      policy({ mode: 'warn' }).checkSend({ message: 'evil.com' }, 'transactional', context(NOON, { dryRun: true }));
      expect(warn).not.toHaveBeenCalled();
    });
  });

  describe('off', () => {
    it('checks nothing, appends nothing and drops nobody', () => {
      const off = policy({ mode: 'off' });
      const send = { message: 'evil.com bit.ly/x', shortenUrl: true };
      expect(off.checkSend(send, 'marketing', context(NIGHT))).toBe(send);
      expect(off.messageFor('hi', 'marketing')).toBe('hi');
      expect(off.recipientScreen('marketing')).toBeUndefined();
      expect(warn).not.toHaveBeenCalled();
    });
  });

  describe('recipient screen', () => {
    it('drops opted-out numbers by category: marketing any scope, transactional only all, OTP never', async () => {
      const list = new InMemorySuppressionList();
      await list.add('081-234-5678', { scope: 'marketing' });
      await list.add('+66898765432', { scope: 'all' });
      const screening = policy({ suppressionList: list });
      const numbers = ['66812345678', '66898765432', '66811111111'];
      await expect(screening.recipientScreen('marketing')!(numbers)).resolves.toEqual({
        kept: ['66811111111'],
        optedOut: [
          { phone: '66812345678', reason: 'RECIPIENT_OPTED_OUT' },
          { phone: '66898765432', reason: 'RECIPIENT_OPTED_OUT' },
        ],
      });
      await expect(screening.recipientScreen('transactional')!(numbers)).resolves.toEqual({
        kept: ['66812345678', '66811111111'],
        optedOut: [{ phone: '66898765432', reason: 'RECIPIENT_OPTED_OUT' }],
      });
      expect(screening.recipientScreen('otp')).toBeUndefined();
      // Nobody dropped: the same array back, nothing copied.
      const none = ['66811111111'];
      expect((await screening.recipientScreen('marketing')!(none)).kept).toBe(none);
      expect(screening.stats().optedOut).toBe(3);
    });

    it('turns a failing store into SuppressionListUnavailableError (an operator has to act)', async () => {
      class Broken extends InMemorySuppressionList {
        override scopesOf(): Promise<never> {
          return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
        }
      }
      const error = await policy({ suppressionList: new Broken() }).recipientScreen('marketing')!([
        '66812345678',
      ]).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SuppressionListUnavailableError);
      expect(error).toMatchObject({ category: 'account', errorName: 'SUPPRESSION_LIST_UNAVAILABLE' });
    });
  });
});
