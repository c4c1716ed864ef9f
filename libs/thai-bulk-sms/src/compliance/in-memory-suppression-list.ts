import { Msisdn } from '../phone';
import { SuppressionEntry, SuppressionList, SuppressionScope, widerScope } from './suppression-list';

/**
 * The opt-out list in this process's memory: for tests and single-instance apps that can afford
 * to lose it on restart. The default store of ThaiBulkSmsComplianceModule.
 */
export class InMemorySuppressionList extends SuppressionList {
  private readonly entries = new Map<Msisdn, SuppressionEntry>();

  /** Entries on the list. */
  get size(): number {
    return this.entries.size;
  }

  scopesOf(msisdns: readonly Msisdn[]): Promise<readonly (SuppressionScope | undefined)[]> {
    const scopes = new Array<SuppressionScope | undefined>(msisdns.length);
    for (let i = 0; i < msisdns.length; i++) scopes[i] = this.entries.get(msisdns[i])?.scope;
    return Promise.resolve(scopes);
  }

  protected read(msisdn: Msisdn): Promise<SuppressionEntry | undefined> {
    return Promise.resolve(this.entries.get(msisdn));
  }

  protected write(entry: SuppressionEntry): Promise<SuppressionEntry> {
    const stored = { ...entry, scope: widerScope(this.entries.get(entry.phone)?.scope, entry.scope) };
    this.entries.set(entry.phone, stored);
    return Promise.resolve(stored);
  }

  protected delete(msisdn: Msisdn): Promise<boolean> {
    return Promise.resolve(this.entries.delete(msisdn));
  }
}
