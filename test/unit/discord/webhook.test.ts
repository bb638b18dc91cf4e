import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Webhook, parseWebhookUrl } from '../../../src/discord/webhook.js';
import { FAKE_TOKEN, FAKE_WEBHOOK_URL } from '../../fixtures/index.js';

describe('parseWebhookUrl', () => {
  it.each([
    FAKE_WEBHOOK_URL,
    `https://discordapp.com/api/webhooks/123456789012345678/${FAKE_TOKEN}`,
    `https://ptb.discord.com/api/v10/webhooks/123456789012345678/${FAKE_TOKEN}`,
    `https://canary.discord.com/api/v9/webhooks/12345678901234567/${FAKE_TOKEN}/`,
    `  ${FAKE_WEBHOOK_URL}\n`,
  ])('accepts %s', (url) => {
    const r = parseWebhookUrl(url);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.webhook.executePath()).toMatch(/^\/api\/v10\/webhooks\/\d+\//);
      expect(r.webhook.secret()).toBe(FAKE_TOKEN);
    }
  });

  it.each([
    '',
    'http://discord.com/api/webhooks/123456789012345678/' + FAKE_TOKEN,
    'https://evil.com/api/webhooks/123456789012345678/' + FAKE_TOKEN,
    'https://discord.com.evil.com/api/webhooks/123456789012345678/' + FAKE_TOKEN,
    'https://discord.com/api/webhooks/12345/' + FAKE_TOKEN,
    'https://discord.com/api/webhooks/123456789012345678/short',
    'https://discord.com/api/webhooks/123456789012345678/' + FAKE_TOKEN + '?wait=true',
  ])('rejects %s without echoing it', (url) => {
    const r = parseWebhookUrl(url);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toContain(FAKE_TOKEN);
  });

  it('never prints the token', () => {
    const r = parseWebhookUrl(FAKE_WEBHOOK_URL);
    if (!r.ok) throw new Error('expected ok');
    const printed = [
      String(r.webhook),
      JSON.stringify(r.webhook),
      inspect(r.webhook),
      `${r.webhook}`,
      JSON.stringify({ w: r.webhook }),
    ];
    for (const p of printed) {
      expect(p).not.toContain(FAKE_TOKEN);
      expect(p).toContain('123456789012345678');
    }
  });
});

describe('Webhook.key', () => {
  it('tells two tokens of one webhook apart without holding either', () => {
    const a = Webhook.fromParts('123456789012345678', 'a'.repeat(68));
    const again = Webhook.fromParts('123456789012345678', 'a'.repeat(68));
    const b = Webhook.fromParts('123456789012345678', 'b'.repeat(68));
    expect(a.key).toBe(again.key);
    expect(a.key).not.toBe(b.key);
    expect(a.key.startsWith('123456789012345678:')).toBe(true);
    expect(a.key).not.toContain('a'.repeat(8));
  });
});
