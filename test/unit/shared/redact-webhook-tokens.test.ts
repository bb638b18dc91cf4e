import { describe, expect, it } from 'vitest';
import { redactWebhookTokens } from '../../../src/shared/redact-webhook-tokens.js';
import { FAKE_TOKEN, FAKE_WEBHOOK_URL } from '../../fixtures/index.js';

describe('redactWebhookTokens', () => {
  it('removes tokens from any text', () => {
    const text = `failed POST ${FAKE_WEBHOOK_URL}?wait=true and /api/v10/webhooks/123456789012345678/${FAKE_TOKEN}/messages/1`;
    const out = redactWebhookTokens(text);
    expect(out).not.toContain(FAKE_TOKEN);
    expect(out).toContain('/webhooks/123456789012345678/***');
  });
});
