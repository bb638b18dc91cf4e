import { describe, expect, it } from 'vitest';
import { embedsAsContent } from '../../../src/render/embeds-as-content.js';

describe('embeds written out as content', () => {
  it('keeps the content, then each embed: title in bold, description, fields', () => {
    const out = embedsAsContent({
      content: '<@&123456789012345678> 🔥 **3 firing**',
      embeds: [{ title: '3 firing · api', description: 'line 1\nline 2', fields: [{ name: 'Runbook', value: 'x' }] }],
      allowed_mentions: { parse: [], roles: ['123456789012345678'] },
    });
    expect(out).toEqual({
      content: '<@&123456789012345678> 🔥 **3 firing**\n**3 firing · api**\nline 1\nline 2\nRunbook: x',
      allowed_mentions: { parse: [], roles: ['123456789012345678'] },
    });
  });

  it('breaks mentions that embed text carried harmlessly, so content cannot ping', () => {
    const out = embedsAsContent({
      embeds: [{ description: '@everyone <@&123456789012345678> <@42> <#7>' }],
      allowed_mentions: { parse: [] },
    })!;
    expect(out.content).not.toMatch(/@everyone|<@|<#/);
    expect(out.content).toBe('@\u200beveryone <\u200b@&123456789012345678> <\u200b@42> <\u200b#7>');
  });

  it('refuses what text cannot show', () => {
    expect(
      embedsAsContent({
        embeds: [{ title: 't', image: { url: 'https://x.example/a.png' } }],
        allowed_mentions: { parse: [] },
      }),
    ).toBeUndefined();
    expect(embedsAsContent({ content: 'only content', allowed_mentions: { parse: [] } })).toBeUndefined();
  });
});
