import { Msisdn } from '../phone';
import {
  erasedEntry,
  SuppressionEntry,
  SuppressionErasureOutcome,
  SuppressionList,
  SuppressionListOptions,
  SuppressionScope,
  widerScope,
} from './suppression-list';

/** What an erased entry keeps: no number, no reason. */
interface ErasedEntry {
  readonly scope: SuppressionScope;
  readonly at: Date;
}

/**
 * The opt-out list in this process's memory: for tests and single-instance apps that can afford
 * to lose it on restart. The default store of ThaiBulkSmsComplianceModule.
 */
export class InMemorySuppressionList extends SuppressionList {
  private readonly entries = new Map<Msisdn, SuppressionEntry>();
  /** Entries kept after erasure, by keyed hash. */
  private readonly erased = new Map<string, ErasedEntry>();

  constructor(options: SuppressionListOptions = {}) {
    super(options);
  }

  /** Entries on the list (those kept as a hash included). */
  get size(): number {
    return this.entries.size + this.erased.size;
  }

  scopesOf(msisdns: readonly Msisdn[]): Promise<readonly (SuppressionScope | undefined)[]> {
    const scopes = new Array<SuppressionScope | undefined>(msisdns.length);
    for (let i = 0; i < msisdns.length; i++) scopes[i] = this.entries.get(msisdns[i])?.scope;
    // Hashing costs a few microseconds a number: only when an erased entry may match.
    if (this.erased.size > 0) {
      for (let i = 0; i < msisdns.length; i++) {
        const kept = this.erased.get(this.hashOf(msisdns[i])!)?.scope;
        if (kept) scopes[i] = scopes[i] ? widerScope(scopes[i], kept) : kept;
      }
    }
    return Promise.resolve(scopes);
  }

  protected read(msisdn: Msisdn): Promise<SuppressionEntry | undefined> {
    const entry = this.entries.get(msisdn);
    if (entry || this.erased.size === 0) return Promise.resolve(entry);
    const kept = this.erased.get(this.hashOf(msisdn)!);
    return Promise.resolve(kept && erasedEntry(msisdn, kept.scope, kept.at));
  }

  protected write(entry: SuppressionEntry): Promise<SuppressionEntry> {
    const stored = { ...entry, scope: widerScope(this.entries.get(entry.phone)?.scope, entry.scope) };
    this.entries.set(entry.phone, stored);
    return Promise.resolve(stored);
  }

  protected delete(msisdn: Msisdn): Promise<boolean> {
    const hash = this.hashOf(msisdn);
    const erased = hash !== undefined && this.erased.delete(hash);
    return Promise.resolve(this.entries.delete(msisdn) || erased);
  }

  protected override erase(msisdn: Msisdn, hash: string | undefined): Promise<SuppressionErasureOutcome> {
    const entry = this.entries.get(msisdn);
    if (entry === undefined)
      return Promise.resolve(hash !== undefined && this.erased.has(hash) ? 'kept-as-hash' : 'not-listed');
    this.entries.delete(msisdn);
    if (!entry.keepAfterErasure || hash === undefined) return Promise.resolve('removed');
    const before = this.erased.get(hash);
    this.erased.set(hash, { scope: widerScope(before?.scope, entry.scope), at: entry.at });
    return Promise.resolve('kept-as-hash');
  }
}
