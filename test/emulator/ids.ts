/**
 * Identifiers shaped like Discord's: snowflakes that grow with time (so message ids sort like
 * real ones), 68-character webhook tokens, and a stable opaque bucket hash per webhook.
 */
import { createHash, randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1_420_070_400_000n;

/** Strictly increasing snowflakes; never behind the wall clock at creation, nor behind `nowMs`. */
export class Snowflakes {
  private last = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;

  next(nowMs: number = Date.now()): string {
    const ts = BigInt(Math.floor(nowMs)) - DISCORD_EPOCH;
    let id = ts > 0n ? ts << 22n : 0n;
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id.toString();
  }
}

/** 51 random bytes in base64url are exactly 68 characters of [A-Za-z0-9_-]. */
export const newToken = (): string => randomBytes(51).toString('base64url');

export const bucketHash = (webhookId: string): string =>
  createHash('sha256').update(`webhook:${webhookId}`).digest('hex').slice(0, 32);

export const isSnowflake = (v: unknown): boolean =>
  (typeof v === 'string' && /^\d{1,20}$/.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
