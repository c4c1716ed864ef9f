import { randomFillSync } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 248 = 62 * 4: bytes at or above it are skipped so every character is equally likely.
const UNBIASED_LIMIT = 248;

/**
 * Random base62 identifiers like the vendor's `Gi9YlmTd6wpgMdec8iMrRi`. Random bytes are drawn
 * in blocks, because one crypto call per id would cost more than the rest of a send.
 */
export class RandomIdGenerator {
  private readonly pool = Buffer.allocUnsafe(4096);
  private offset = this.pool.length;

  next(length = 22): string {
    let id = '';
    while (id.length < length) {
      if (this.offset >= this.pool.length) {
        randomFillSync(this.pool);
        this.offset = 0;
      }
      const byte = this.pool[this.offset++];
      if (byte < UNBIASED_LIMIT) id += BASE62[byte % 62];
    }
    return id;
  }

  /** Decimal digits, e.g. a 6-digit PIN. */
  digits(length: number): string {
    let out = '';
    while (out.length < length) {
      if (this.offset >= this.pool.length) {
        randomFillSync(this.pool);
        this.offset = 0;
      }
      const byte = this.pool[this.offset++];
      // 250 = 10 * 25, for the same reason as above.
      if (byte < 250) out += String(byte % 10);
    }
    return out;
  }
}
