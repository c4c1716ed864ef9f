import { Msisdn } from '../phone';
import { SuppressionEntry, SuppressionList, SuppressionScope } from './suppression-list';

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

export interface RedisSuppressionListOptions {
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

/**
 * The opt-out list in one Redis hash: field `66XXXXXXXXX`, value `<a|m><epoch ms>|<reason>`. A
 * send's lookup reads only the fields of its numbers (HMGET, one round trip per chunk of 500),
 * however long the list. The client is yours: the store never closes it. Give it a Redis every
 * instance shares (the queue's, say) and a key no other app uses.
 */
export class RedisSuppressionList extends SuppressionList {
  readonly key: string;

  constructor(
    private readonly redis: SuppressionRedis,
    options: RedisSuppressionListOptions = {},
  ) {
    super();
    const key = options.key ?? DEFAULT_SUPPRESSION_KEY;
    if (typeof key !== 'string' || key.trim() === '')
      throw new TypeError('RedisSuppressionList: key must be a non-empty string');
    this.key = key;
  }

  async scopesOf(msisdns: readonly Msisdn[]): Promise<readonly (SuppressionScope | undefined)[]> {
    if (msisdns.length === 0) return [];
    const values =
      msisdns.length <= FIELDS_PER_COMMAND ? await this.redis.hmget(this.key, ...msisdns) : await this.batched(msisdns);
    return values.map(scopeOfValue);
  }

  protected async read(msisdn: Msisdn): Promise<SuppressionEntry | undefined> {
    const value = await this.redis.hget(this.key, msisdn);
    return value === null ? undefined : entryOf(msisdn, value);
  }

  protected async write(entry: SuppressionEntry): Promise<SuppressionEntry> {
    const value = `${entry.scope === 'all' ? 'a' : 'm'}${entry.at.getTime()}|${entry.reason ?? ''}`;
    const stored = await this.redis.eval(WRITE_SCRIPT, 1, this.key, entry.phone, value);
    return entryOf(entry.phone, String(stored));
  }

  protected async delete(msisdn: Msisdn): Promise<boolean> {
    return (await this.redis.hdel(this.key, msisdn)) > 0;
  }

  private async batched(msisdns: readonly Msisdn[]): Promise<(string | null)[]> {
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
  const at = Number(value.slice(1, bar < 0 ? undefined : bar));
  const reason = bar < 0 ? '' : value.slice(bar + 1);
  return {
    phone,
    scope: scopeOfValue(value) ?? 'marketing',
    ...(reason ? { reason } : {}),
    at: new Date(Number.isFinite(at) ? at : 0),
  };
}
