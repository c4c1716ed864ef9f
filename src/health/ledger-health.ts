import { Inject, Injectable, Optional } from '@nestjs/common';
import { ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import { LedgerHealthIndicator } from '@app/thai-bulk-sms/ledger';
import { healthConfig, HealthConfig } from '../config/namespaces/health.config';

/** What public /health shows of the ledger: up or down, and its state word; no counts. */
export interface LedgerHealth {
  readonly status: 'up' | 'down';
  readonly state: string;
}

/**
 * The ledger's health for GET /health, as cheap as the ThaiBulkSMS check: one database ping
 * answers every call for HEALTH_CACHE_SECONDS, concurrent calls share the one in flight, so a
 * flood of public health checks costs the database one query per period.
 */
@Injectable()
export class LedgerHealthCheck {
  private cached?: { readonly at: number; readonly health: LedgerHealth };
  private inFlight?: Promise<LedgerHealth>;

  constructor(
    private readonly clock: ThaiBulkSmsClock,
    @Inject(healthConfig.KEY) private readonly config: HealthConfig,
    @Optional() private readonly indicator?: LedgerHealthIndicator,
  ) {}

  /** False when the ledger is off (LEDGER_ENABLED=false): /health then leaves it out. */
  get enabled(): boolean {
    return this.indicator !== undefined;
  }

  async check(): Promise<LedgerHealth> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < this.config.cacheSeconds * 1000) return this.cached.health;
    this.inFlight ??= this.run().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async run(): Promise<LedgerHealth> {
    const { ledger } = await this.indicator!.isHealthy('ledger');
    const health: LedgerHealth = { status: ledger.status, state: String(ledger.state) };
    this.cached = { at: this.clock.now(), health };
    return health;
  }
}
