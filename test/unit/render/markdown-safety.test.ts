import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../../src/alertmanager/payload.js';
import { renderMessages } from '../../../src/render/render-job.js';
import { escapeMarkdown } from '../../../src/render/markdown.js';
import { loadTemplateSet } from '../../../src/render/template-set.js';
import { fixture } from '../../fixtures/index.js';

/** A masked link is [text](url) with unescaped brackets. */
const MASKED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;
/** A mention that would highlight: @everyone/@here or <@…> without a zero-width break. */
const LIVE_MENTION = /@(everyone|here)|<@[!&]?\d+>|<#\d+>/;

describe('escapeMarkdown', () => {
  it.each([
    ['[Silence](https://evil.example/#/silences/new)', MASKED_LINK],
    ['@everyone wake up', LIVE_MENTION],
    ['ping <@&123456789012345678>', LIVE_MENTION],
    ['<@123456789012345678> and <#123456789012345678>', LIVE_MENTION],
  ])('defuses %s', (input, pattern) => {
    expect(input).toMatch(pattern);
    expect(escapeMarkdown(input)).not.toMatch(pattern);
  });

  it('cannot close a code block or span it is placed in', () => {
    const out = escapeMarkdown('```\n@everyone\n```');
    expect(out).not.toContain('```');
    expect(escapeMarkdown('a `b` c')).not.toMatch(/(?<!\\)`/);
  });

  it('keeps plain text readable', () => {
    expect(escapeMarkdown('CPU at 97% (threshold 90%) on node-1')).toBe('CPU at 97% (threshold 90%) on node-1');
  });
});

describe('hostile annotations through the shipped default template', () => {
  const templates = loadTemplateSet({ now: () => Date.parse('2026-11-28T00:00:00Z') });

  it('cannot ping, forge links or break structure', () => {
    const body = fixture('firing');
    body.alerts[0]!.annotations = {
      summary: '@everyone [Silence this alert](https://evil.example/#/silences/new) <@&123456789012345678>',
      description: '```\n@here\n``` **not bold** [runbook](https://evil.example)',
      runbook_url: 'https://evil.example/x) [Alertmanager](https://evil.example',
    };
    const parsed = parseNotification(body);
    if (!parsed.ok) throw new Error('fixture');
    const out = renderMessages(templates, { notification: parsed.notification, target: 't', template: 'default' });
    for (const m of out.messages) {
      expect(m.allowed_mentions).toEqual({ parse: [] });
      for (const e of m.embeds ?? []) {
        const texts = [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])];
        for (const t of texts) expect(t ?? '').not.toMatch(LIVE_MENTION);
        expect(e.description ?? '').not.toMatch(MASKED_LINK);
        expect(e.description ?? '').not.toContain('```');
      }
    }
    // The only masked links are the template's own, and their targets cannot be closed early.
    const links = out.messages
      .flatMap((m) => m.embeds ?? [])
      .flatMap((e) => e.fields ?? [])
      .find((f) => f.name === 'Links');
    expect(links?.value).toContain('[Runbook](https://evil.example/x%29%20%5BAlertmanager%5D%28https://evil.example)');
  });
});
