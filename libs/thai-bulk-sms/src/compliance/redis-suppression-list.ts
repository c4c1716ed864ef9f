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

/** The part of an ioredis client (`new Redis(url)`, or BullMQ's) the store uses. */
export interface SuppressionRedis {
  hget(key: string, field: string): Promise<string | null>;
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
  hdel(key: string, ...fields: string[]): Promise<number>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  pipeline(): SuppressionRedisPipeline;
}

export interface SuppressionRedisPipeline {
  hmget(key: string, ...fields: string[]): unknown;
  exec(): Promise<[Error | null, unknown][] | null>;
}

export interface RedisSuppressionListOptions extends SuppressionListOptions {
  /**
   * The Redis hash holding the list; share it between every instance of the app.
   * @default 'thaibulksms:suppressions'
   */
  readonly key?: string;
}

export const DEFAULT_SUPPRESSION_KEY = 'thaibulksms:suppressions';

/** Fields per HMGET: a chunk of 500 is one command; longer lists go in one pipeline of several. */
const FIELDS_PER_COMMAND = 1_000;

// Keeps `all` when the number is on the list with it already (see SuppressionList.add), atomically.
const WRITE_SCRIPT = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
local value = ARGV[2]
if old and string.sub(old, 1, 1) == 'a' then value = 'a' .. string.sub(value, 2) end
redis.call('HSET', KEYS[1], ARGV[1], value)
return value`;

// Erasure, atomically: the entry goes; one marked keep-after-erasure (`k` after the scope) stays
// as its keyed hash (ARGV[2]) with scope and time only, and the count of hashes (ARGV[3]) grows.
const ERASE_SCRIPT = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then
  if ARGV[2] ~= '' and redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then return 'kept-as-hash' end
  return 'not-listed'
end
redis.call('HDEL', KEYS[1], ARGV[1])
if ARGV[2] == '' or string.sub(old, 2, 2) ~= 'k' then return 'removed' end
local kept = string.sub(old, 1, (string.find(old, '|', 1, true) or (#old + 1)) - 1) .. '|'
local before = redis.call('HGET', KEYS[1], ARGV[2])
if before then
  if string.sub(before, 1, 1) == 'a' then kept = 'a' .. string.sub(kept, 2) end
else
  redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
end
redis.call('HSET', KEYS[1], ARGV[2], kept)
return 'kept-as-hash'`;

// Removal of the entry and of its keyed hash (keeping the count of hashes right).
const DELETE_SCRIPT = `
local n = redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HDEL', KEYS[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[3], -1)
  n = n + 1
end
return n`;

/** The field counting the entries kept as a keyed hash (fields `#…`); numbers are digits only. */
const ERASED_COUNT_FIELD = '#erased';

/**
 * The opt-out list in one Redis hash: field `66XXXXXXXXX`, value `<a|m>[k]<epoch ms>|<reason>`
 * (`k`: keep after erasure); an erased entry kept as its keyed hash is field `#<hmac>`, value
 * `<a|m>k<epoch ms>|`, counted in field `#erased`. A send's lookup reads only the fields of its
 * numbers (HMGET, one round trip per chunk of 500, and a second one only while hashes are kept),
 * however long the list. The client is yours: the store never closes it. Give it a Redis every
 * instance shares (the queue's, say) and a key no other app uses.
 */
export class RedisSuppressionList extends SuppressionList {
  readonly key: string;

  constructor(
    private readonly redis: SuppressionRedis,
    options: RedisSuppressionListOptions = {},
  ) {
    super(options);
    const key = options.key ?? DEFAULT_SUPPRESSION_KEY;
    if (typeof key !== 'string' || key.trim() === '')
      throw new TypeError('RedisSuppressionList: key must be a non-empty string');
    this.key = key;
  }

  async scopesOf(msisdns: readonly Msisdn[]): Promise<readonly (SuppressionScope | undefined)[]> {
    if (msisdns.length === 0) return [];
    if (!this.keepsHashes) return (await this.values(msisdns)).map(scopeOfValue);
    // The count of kept hashes rides along: the numbers are hashed only while there are some.
    const values = await this.values([...msisdns, ERASED_COUNT_FIELD]);
    const erasedCount = Number(values.pop() ?? 0);
    const scopes = values.map(scopeOfValue);
    if (erasedCount <= 0) return scopes;
    const kept = (await this.values(this.hashesOf(msisdns))).map(scopeOfValue);
    return scopes.map((scope, i) => (kept[i] ? widerScope(scope, kept[i]) : scope));
  }

  protected async read(msisdn: Msisdn): Promise<SuppressionEntry | undefined> {
    const value = await this.redis.hget(this.key, msisdn);
    if (value !== null) return entryOf(msisdn, value);
    const hash = this.hashOf(msisdn);
    const kept = hash === undefined ? null : await this.redis.hget(this.key, hash);
    if (kept === null) return undefined;
    const entry = entryOf(msisdn, kept);
    return erasedEntry(msisdn, entry.scope, entry.at);
  }

  protected async write(entry: SuppressionEntry): Promise<SuppressionEntry> {
    const flags = `${entry.scope === 'all' ? 'a' : 'm'}${entry.keepAfterErasure ? 'k' : ''}`;
    const value = `${flags}${entry.at.getTime()}|${entry.reason ?? ''}`;
    const stored = await this.redis.eval(WRITE_SCRIPT, 1, this.key, entry.phone, value);
    return entryOf(entry.phone, String(stored));
  }

  protected async delete(msisdn: Msisdn): Promise<boolean> {
    const hash = this.hashOf(msisdn);
    if (hash === undefined) return (await this.redis.hdel(this.key, msisdn)) > 0;
    return Number(await this.redis.eval(DELETE_SCRIPT, 1, this.key, msisdn, hash, ERASED_COUNT_FIELD)) > 0;
  }

  protected override async erase(msisdn: Msisdn, hash: string | undefined): Promise<SuppressionErasureOutcome> {
    const outcome = await this.redis.eval(ERASE_SCRIPT, 1, this.key, msisdn, hash ?? '', ERASED_COUNT_FIELD);
    return String(outcome) as SuppressionErasureOutcome;
  }

  private async values(fields: readonly string[]): Promise<(string | null)[]> {
    return fields.length <= FIELDS_PER_COMMAND ? this.redis.hmget(this.key, ...fields) : this.batched(fields);
  }

  private async batched(msisdns: readonly string[]): Promise<(string | null)[]> {
    const pipeline = this.redis.pipeline();
    for (let from = 0; from < msisdns.length; from += FIELDS_PER_COMMAND) {
      pipeline.hmget(this.key, ...msisdns.slice(from, from + FIELDS_PER_COMMAND));
    }
    const results = await pipeline.exec();
    if (!results) throw new Error('RedisSuppressionList: the lookup pipeline was aborted');
    const values: (string | null)[] = [];
    for (const [error, batch] of results) {
      if (error) throw error;
      for (const value of batch as (string | null)[]) values.push(value);
    }
    return values;
  }
}

function scopeOfValue(value: string | null): SuppressionScope | undefined {
  if (value === null) return undefined;
  return value.charCodeAt(0) === 0x61 /* a */ ? 'all' : 'marketing';
}

function entryOf(phone: Msisdn, value: string): SuppressionEntry {
  const bar = value.indexOf('|');
  const keep = value.charCodeAt(1) === 0x6b; /* k */
  const at = Number(value.slice(keep ? 2 : 1, bar < 0 ? undefined : bar));
  const reason = bar < 0 ? '' : value.slice(bar + 1);
  return {
    phone,
    scope: scopeOfValue(value) ?? 'marketing',
    ...(reason ? { reason } : {}),
    at: new Date(Number.isFinite(at) ? at : 0),
    ...(keep ? { keepAfterErasure: true } : {}),
  };
}
