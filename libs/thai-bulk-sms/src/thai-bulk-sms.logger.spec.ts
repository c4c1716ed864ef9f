import { ConsoleLogger, Logger, LoggerService } from '@nestjs/common';
import { escapeLogText, isDebugEnabled, logSafeText, loggerFor } from './thai-bulk-sms.logger';

/**
 * isDebugEnabled lets the client skip building its per-request debug line. It must say "no" only
 * when Logger#debug would print nothing, and follow the logger and levels in place at each call.
 */
describe('isDebugEnabled', () => {
  afterEach(() => Logger.overrideLogger(new ConsoleLogger()));

  it('follows the levels of a ConsoleLogger, as they are at the time of the call', () => {
    const consoleLogger = new ConsoleLogger({ logLevels: ['error', 'warn'] });
    Logger.overrideLogger(consoleLogger);
    const logger = loggerFor('default');
    expect(isDebugEnabled(logger)).toBe(false);
    consoleLogger.setLogLevels(['error', 'warn', 'log', 'debug']);
    expect(isDebugEnabled(logger)).toBe(true);
  });

  it('follows a subclass that keeps ConsoleLogger#debug', () => {
    class JsonLogger extends ConsoleLogger {}
    Logger.overrideLogger(new JsonLogger({ logLevels: ['log'] }));
    expect(isDebugEnabled(loggerFor('default'))).toBe(false);
  });

  it('says yes for a subclass with its own debug, and for any other LoggerService', () => {
    class Loud extends ConsoleLogger {
      override debug(message: unknown): void {
        process.stdout.write(`${String(message)}\n`);
      }
    }
    Logger.overrideLogger(new Loud({ logLevels: ['error'] }));
    expect(isDebugEnabled(loggerFor('default'))).toBe(true);
    const custom: LoggerService = {
      log: () => undefined,
      error: () => undefined,
      warn: () => undefined,
      debug: () => undefined,
    };
    Logger.overrideLogger(custom);
    expect(isDebugEnabled(loggerFor('default'))).toBe(true);
  });

  it('says no for a logger without debug (Logger calls debug?.())', () => {
    Logger.overrideLogger({ log: () => undefined, error: () => undefined, warn: () => undefined });
    expect(isDebugEnabled(loggerFor('default'))).toBe(false);
  });

  it('says yes while Nest buffers the bootstrap logs (they are replayed later)', () => {
    Logger.overrideLogger(new ConsoleLogger({ logLevels: ['error'] }));
    Logger.attachBuffer();
    try {
      expect(isDebugEnabled(loggerFor('default'))).toBe(true);
    } finally {
      Logger.detachBuffer();
      Logger.flush();
    }
  });

  it('agrees with what Logger#debug prints under the levels NestFactory sets', () => {
    const printed: string[] = [];
    class Capturing extends ConsoleLogger {
      protected override printMessages(messages: unknown[]): void {
        printed.push(...messages.map(String));
      }
    }
    for (const levels of [['error', 'warn'], ['debug'], ['verbose'], ['log']] as const) {
      printed.length = 0;
      Logger.overrideLogger(new Capturing({ logLevels: [...levels] }));
      const logger = loggerFor('default');
      logger.debug('line');
      expect(isDebugEnabled(logger)).toBe(printed.length > 0);
    }
  });
});

describe('logSafeText (a value from outside, on its way to a log line)', () => {
  it('masks anything that reads as a phone number, in any spelling', () => {
    expect(logSafeText('Undeliverable to +66 81 234 5003')).toBe('Undeliverable to 081xxxx003');
    expect(logSafeText('to 0812345003, then 66-81-234-5004')).toBe('to 081xxxx003, then 081xxxx004');
    expect(logSafeText('(081) 234.5003')).not.toMatch(/2345003|234\.5003/);
  });

  it('escapes line breaks and every other control character, so one value stays on one line', () => {
    const forged = 'm1\n[Nest] 1  - 01/01/2030     ERROR [Bootstrap] forged\r\u2028\u001b[31m\u0000';
    const safe = logSafeText(forged, 500)!;
    // eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(safe).toBe('m1\\n[Nest] 1  - 01/01/2030     ERROR [Bootstrap] forged\\r\\u2028\\u001b[31m\\u0000');
    // Escaping is idempotent: a value escaped once passes a text-format logger unchanged.
    expect(escapeLogText(safe)).toBe(safe);
  });

  it('bounds the length, and reads only plain values', () => {
    expect(logSafeText('x'.repeat(1000))).toBe(`${'x'.repeat(64)}…`);
    expect(logSafeText('abc', 2)).toBe('ab…');
    expect(logSafeText(42)).toBe('42');
    expect(logSafeText(undefined)).toBeUndefined();
    expect(logSafeText(null)).toBeUndefined();
    let deep: unknown = ['x'];
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(logSafeText(deep)).toBe('[array]');
    expect(logSafeText({ toString: () => '0812345003' })).toBe('[object]');
  });
});
