/**
 * A webhook URL's token is a secret, in whatever text it ends up (a log line, an error, a
 * status page): here rather than in discord/, so the logger can redact it by construction.
 */
const TOKEN_IN_URL = /(\/webhooks\/\d{5,20}\/)[A-Za-z0-9_-]{20,}/g;

/** Replaces the token of every webhook URL in a text, wherever the URL came from. */
export function redactWebhookTokens(text: string): string {
  return text.replace(TOKEN_IN_URL, '$1***');
}
