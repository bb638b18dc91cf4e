import type { SendResult } from '../../discord/send-result.js';

const TEN_MINUTES = 10 * 60_000;

/**
 * Discord bans an IP (Cloudflare, for a while) after 10,000 invalid requests — 401, 403 and
 * 429 except shared-scope 429s — within 10 minutes. Counting ours lets users see one coming.
 */
export class InvalidRequests {
  #times: number[] = [];

  record(result: SendResult, now: number): void {
    const invalid =
      (result.kind === 'rateLimited' && result.scope !== 'shared') || result.status === 401 || result.status === 403;
    if (invalid) this.#times.push(now);
  }

  lastTenMinutes(now: number): number {
    const since = now - TEN_MINUTES;
    const drop = this.#times.findIndex((t) => t > since);
    this.#times = drop < 0 ? [] : this.#times.slice(drop);
    return this.#times.length;
  }
}
