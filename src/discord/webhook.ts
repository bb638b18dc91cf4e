import { createHash } from 'node:crypto';

/**
 * A Discord webhook URL is a secret: whoever holds the token can post to the channel.
 * The token lives in a private field; everything printable (toString, toJSON, inspect)
 * shows the numeric id only.
 */
const WEBHOOK_URL =
  /^https:\/\/(?:discord|discordapp|ptb\.discord|canary\.discord)\.com\/api(?:\/v(\d{1,2}))?\/webhooks\/(\d{17,20})\/([A-Za-z0-9_-]{60,100})\/?$/;

export class Webhook {
  readonly #token: string;
  /**
   * Tells apart two URLs of one webhook id (a token reset): the id and a digest of the token,
   * so it can key maps without the token itself sitting in them.
   */
  readonly key: string;

  private constructor(
    readonly id: string,
    token: string,
  ) {
    this.#token = token;
    this.key = `${id}:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
  }

  static fromParts(id: string, token: string): Webhook {
    return new Webhook(id, token);
  }

  /** The path of the execute endpoint, always on API v10 whatever form the user pasted. */
  executePath(): string {
    return `/api/v10/webhooks/${this.id}/${this.#token}`;
  }

  messagePath(messageId: string): string {
    return `${this.executePath()}/messages/${messageId}`;
  }

  /** The token itself, for redaction lists only. */
  secret(): string {
    return this.#token;
  }

  toString(): string {
    return `webhook ${this.id}`;
  }

  toJSON(): { webhook_id: string } {
    return { webhook_id: this.id };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Webhook(${this.id})`;
  }
}

export type WebhookParseResult = { ok: true; webhook: Webhook } | { ok: false; reason: string };

export function parseWebhookUrl(raw: string): WebhookParseResult {
  const url = raw.trim();
  const match = WEBHOOK_URL.exec(url);
  if (!match) {
    return {
      ok: false,
      reason: 'is not a Discord webhook URL (expected https://discord.com/api/webhooks/{id}/{token})',
    };
  }
  const [, , id, token] = match;
  return { ok: true, webhook: Webhook.fromParts(id!, token!) };
}
