import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import { appConfig, ApplicationConfig } from '../config/namespaces/app.config';
import { ledgerConfig, LedgerConfig } from '../config/namespaces/ledger.config';

const VERSION = 'v1';

/**
 * Operator console sessions, with no server-side state: a token `v1.<expiry>.<nonce>.<mac>` whose
 * MAC is an HMAC-SHA256 keyed by the API key the operator signed in with. The cookie never holds the
 * key itself; a token lives CONSOLE_SESSION_SECONDS, and dies at once when its key leaves
 * APP_API_KEYS (no configured key verifies it any more), on every instance alike.
 */
@Injectable()
export class ConsoleSessions {
  private readonly macKeys: readonly Buffer[];

  constructor(
    @Inject(appConfig.KEY) app: ApplicationConfig,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
    private readonly clock: ThaiBulkSmsClock,
  ) {
    this.macKeys = app.apiKeys.map(macKeyOf);
  }

  get lifetimeSeconds(): number {
    return this.config.consoleSessionSeconds;
  }

  /** A new session token for an operator who proved `apiKey` (already checked by ApiKeys). */
  issue(apiKey: string): string {
    const expiry = Math.floor(this.clock.now() / 1000) + this.config.consoleSessionSeconds;
    const payload = `${VERSION}.${expiry}.${randomBytes(16).toString('base64url')}`;
    return `${payload}.${mac(macKeyOf(apiKey), payload)}`;
  }

  /** Whether `token` was issued by a configured key and has not expired. */
  verify(token: unknown): boolean {
    if (typeof token !== 'string' || token.length > 200) return false;
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION || !/^\d{1,12}$/.test(parts[1])) return false;
    if (Number(parts[1]) * 1000 <= this.clock.now()) return false;
    const payload = parts.slice(0, 3).join('.');
    const given = Buffer.from(parts[3], 'base64url');
    let ok = false;
    for (const key of this.macKeys) {
      const expected = Buffer.from(mac(key, payload), 'base64url');
      ok = (given.length === expected.length && timingSafeEqual(given, expected)) || ok;
    }
    return ok;
  }
}

// A key of its own for sessions, so a MAC never doubles as a digest of the API key elsewhere.
const macKeyOf = (apiKey: string): Buffer => createHmac('sha256', 'console-session').update(apiKey, 'utf8').digest();
const mac = (key: Buffer, payload: string): string => createHmac('sha256', key).update(payload).digest('base64url');
