import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import { discordMessageSchema } from '../../../src/discord/message.js';
import { fitMessage } from '../../../src/render/fit-message.js';
import type { FitResult } from '../../../src/render/fit-result.js';
import type { EmbedDraft } from '../../../src/render/message-draft.js';
import { DIGEST_HEADER_MAX, packLines } from '../../../src/render/pack-lines.js';
import { renderMessages } from '../../../src/render/render-job.js';
import { loadTemplateSet } from '../../../src/render/template-set.js';
import { shownEmbeds } from '../../emulator/index.js';
import { independentProblems } from '../../support/discord-limits.js';
import { fixedEnv, notification, templateDir } from '../../support/templates.js';

const NONE = { parse: [] as [] };
const embedsOf = (r: FitResult) => r.messages.flatMap((m) => m.embeds ?? []);

/** The storm fixture grown to `n` alerts, each with its own instance. */
function storm(n: number): Notification {
  const base = notification('storm');
  const alerts = Array.from({ length: n }, (_, i) => {
    const a = structuredClone(base.alerts[i % base.alerts.length]!);
    a.labels.instance = `host-${String(i).padStart(4, '0')}`;
    a.fingerprint = `fp-${i}`;
    return a;
  });
  return { ...base, alerts };
}

function expectValid(r: FitResult): void {
  for (const m of r.messages) {
    expect(discordMessageSchema.safeParse(m).success).toBe(true);
    expect(independentProblems(m)).toEqual([]);
  }
}

describe('compact: a storm still names every alert', () => {
  const templates = loadTemplateSet(fixedEnv);

  it.each([1, 37, 100, 500])('%i alerts: each shown once, every message valid, no text cut', (n) => {
    const out = renderMessages(templates, { notification: storm(n), target: 't', template: 'compact' });
    expectValid(out);
    // The pages repeat the group link: only their urls may change, so the client shows each page.
    const textCuts = out.cuts.filter((c) => c.action !== 'split' && c.limit !== 'url distinct per message');
    expect(textCuts).toEqual([]);
    const shown = out.messages.flatMap((m) => shownEmbeds({ body: m }));
    const lines = shown.flatMap((e) => (e.description ?? '').split('\n'));
    for (let i = 0; i < n; i++) {
      expect(lines.filter((l) => l.includes(`host-${String(i).padStart(4, '0')}`))).toHaveLength(1);
    }
  });

  it('packs two pages per message, so a storm takes few messages', () => {
    const out = renderMessages(templates, { notification: storm(500), target: 't', template: 'compact' });
    const chars = embedsOf(out).reduce((sum, e) => sum + (e.description?.length ?? 0), 0);
    expect(out.messages.length).toBeLessThanOrEqual(Math.ceil(chars / 5000) + 1);
    for (const m of out.messages.slice(0, -1)) expect(m.embeds?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('packLines', () => {
  const line = (i: number, len = 100) => `${i}:`.padEnd(len, 'x');

  it('leaves an embed without lines as it is', () => {
    const d: EmbedDraft = { title: 't', description: 'd' };
    expect(packLines(d, 'embeds[0]', [])).toEqual([d]);
  });

  it('repeats title, header and footer on every page; keeps the lines in order, none split', () => {
    const lines = Array.from({ length: 120 }, (_, i) => line(i));
    const pages = packLines({ title: 'T', description: 'Header', footer: { text: 'F' }, color: 1, lines }, 'p', []);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) {
      expect(p).toMatchObject({ title: 'T', footer: { text: 'F' }, color: 1 });
      expect(p.description?.startsWith('Header\n')).toBe(true);
      expect(p).not.toHaveProperty('lines');
    }
    const out = pages.flatMap((p) => p.description!.split('\n').slice(1));
    expect(out).toEqual(lines);
  });

  it('pages fit Discord whatever the repeated parts weigh; two share a message when those are light', () => {
    for (const title of ['', 'x'.repeat(300)]) {
      for (const footer of ['f', 'y'.repeat(1500)]) {
        const lines = Array.from({ length: 200 }, (_, i) => line(i, 90));
        const r = fitMessage({
          embeds: [{ title, description: 'h'.repeat(2000), footer: { text: footer }, lines }],
          allowed_mentions: NONE,
        });
        expectValid(r);
        // Only the repeated parts were cut (the header to its share, a long title to 256): no line.
        for (const c of r.cuts)
          expect(c.path).toMatch(/^(embeds\[0\]\.description|embeds\[0\]\.pages\[\d+\]\.title|messages)$/);
        const perMessage = footer.length < 100 ? 2 : 1;
        for (const m of r.messages.slice(0, -1)) expect(m.embeds).toHaveLength(perMessage);
        const named = embedsOf(r).flatMap((e) => e.description!.split('\n').slice(1));
        expect(named).toEqual(lines);
      }
    }
  });

  it('cuts a line longer than a page alone, and reports it', () => {
    const cuts: Parameters<typeof packLines>[2] = [];
    const pages = packLines({ lines: ['short', 'z'.repeat(9000), 'after'] }, 'embeds[2]', cuts);
    expect(cuts).toEqual([{ path: 'embeds[2].lines[1]', limit: 'digest line fits one embed', action: 'truncated' }]);
    expect(pages.map((p) => p.description?.split('\n').length)).toEqual([1, 1, 1]);
    expect(pages[1]?.description?.endsWith('…')).toBe(true);
    expect(pages[2]?.description).toBe('after');
  });

  it('cuts a header longer than its share, drops blank lines', () => {
    const cuts: Parameters<typeof packLines>[2] = [];
    const [page] = packLines({ description: 'H'.repeat(5000), lines: ['a', '  ', '', 'b'] }, 'e', cuts);
    expect(page?.description).toBe(`${'H'.repeat(DIGEST_HEADER_MAX - 1)}…\na\nb`);
    expect(cuts).toEqual([{ path: 'e.description', limit: `digest header ${DIGEST_HEADER_MAX}`, action: 'truncated' }]);
  });
});

describe('digest and sort_by in templates', () => {
  const set = loadTemplateSet(
    fixedEnv,
    templateDir({
      'digest.yaml': [
        'embeds:',
        '  - lines_for_each: firing',
        '    sort_by: severity',
        '    title: "{{firing.length}} firing"',
        '    header: "{{receiver}}"',
        '    line: "{{labels.severity}} {{labels.instance}}"',
        '  - lines_for_each: resolved',
        '    title: resolved',
        '    line: "{{labels.instance}}"',
        '  - for_each: alerts',
        '    sort_by: labels.instance',
        '    title: "{{labels.instance}}"',
      ].join('\n'),
    }),
  );
  const n = notification('firing');
  n.alerts = [
    { ...n.alerts[0]!, labels: { severity: 'info', instance: 'h10' } },
    { ...n.alerts[0]!, labels: { severity: 'critical', instance: 'h9' } },
    { ...n.alerts[0]!, labels: { instance: 'h2' } },
  ];

  it('orders lines by severity and embeds by a label (numeric-aware); leaves out an empty digest', () => {
    const out = renderMessages(set, { notification: n, target: 't', template: 'digest' });
    expect(embedsOf(out).map((e) => [e.title, e.description])).toEqual([
      ['3 firing', 'discord\ncritical h9\nh2\ninfo h10'],
      ['h2', undefined],
      ['h9', undefined],
      ['h10', undefined],
    ]);
  });
});
