import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { discordMessageSchema, type DiscordMessage, type Embed } from '../../../src/discord/message.js';
import { independentProblems } from '../../support/discord-limits.js';
import { fitMessage } from '../../../src/render/fit-message.js';
import { EMPTY_EMBED, EMPTY_FIELD, EMPTY_NOTIFICATION } from '../../../src/render/fit-placeholders.js';
import type { FitCut, FitResult } from '../../../src/render/fit-result.js';
import type { EmbedDraft, MessageDraft } from '../../../src/render/message-draft.js';

const EMOJI = '😀';
const NONE = { parse: [] as [] };
const draft = (d: Partial<MessageDraft> = {}): MessageDraft => ({ embeds: [], allowed_mentions: NONE, ...d });
const oneEmbed = (e: EmbedDraft, d: Partial<MessageDraft> = {}): MessageDraft => draft({ embeds: [e], ...d });
const embedsOf = (r: FitResult) => r.messages.flatMap((m) => m.embeds ?? []);
const cut = (path: string, limit: string, action: FitCut['action'], count?: number): FitCut =>
  count === undefined ? { path, limit, action } : { path, limit, action, count };

/** Every output message valid by both readings. */
function expectValid(r: FitResult): void {
  expect(r.messages.length).toBeGreaterThan(0);
  for (const m of r.messages) {
    const parsed = discordMessageSchema.safeParse(m);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    expect(independentProblems(m)).toEqual([]);
  }
}

const withoutNotice = (d: MessageDraft): DiscordMessage => {
  const { notice: _notice, ...rest } = d;
  return rest as DiscordMessage;
};

// ---------------------------------------------------------------------------------------------
describe('fitMessage: a valid draft comes back unchanged', () => {
  it.each<[string, MessageDraft]>([
    ['content only', draft({ content: 'firing: HighLatency' })],
    ['content with surrounding whitespace', draft({ content: '  hi  ' })],
    ['blank content beside an embed', draft({ content: '   ', embeds: [{ title: 'x' }] })],
    [
      'full embed and message options',
      draft({
        content: 'hello',
        username: 'Alertmanager',
        avatar_url: 'https://example.com/a.png',
        flags: 4096,
        thread_name: 'HighLatency',
        applied_tags: ['123', '456'],
        allowed_mentions: { parse: [], roles: ['123456789012345678'] },
        embeds: [
          {
            title: 'T',
            description: 'D',
            url: 'https://example.com',
            timestamp: '2024-05-01T12:00:00.000Z',
            color: 0xffffff,
            footer: { text: 'f', icon_url: 'http://example.com/i.png' },
            author: { name: 'a', url: 'https://example.com/u', icon_url: 'https://example.com/i' },
            thumbnail: { url: 'https://example.com/t.png' },
            image: { url: 'https://example.com/i.png' },
            fields: [
              { name: 'n', value: 'v', inline: true },
              { name: 'm', value: 'w' },
            ],
          },
        ],
      }),
    ],
    [
      'exact limits',
      oneEmbed({
        title: 't'.repeat(256),
        description: 'd'.repeat(4096),
        fields: [{ name: 'n'.repeat(256), value: 'v'.repeat(1024) }],
      }),
    ],
    ['25 fields', oneEmbed({ fields: Array.from({ length: 25 }, (_, i) => ({ name: `n${i}`, value: `v${i}` })) })],
    ['10 embeds at 6000 in total', draft({ embeds: Array(10).fill({ description: 'x'.repeat(600) }) })],
    ['image only', oneEmbed({ image: { url: 'https://example.com/i.png' } })],
    ['blank title beside a description', oneEmbed({ title: ' ', description: 'd' })],
    ['empty fields list', oneEmbed({ title: 't', fields: [] })],
    ['emoji counted as two units, at the limit', oneEmbed({ title: EMOJI.repeat(128) })],
  ])('%s', (_name, d) => {
    const r = fitMessage(d);
    expect(r.cuts).toEqual([]);
    expect(r.messages).toEqual([withoutNotice(d)]);
    expectValid(r);
  });

  it('does not modify the draft', () => {
    const d = draft({
      content: 'c'.repeat(3000),
      embeds: Array.from({ length: 12 }, () => ({
        description: 'd'.repeat(5000),
        fields: Array.from({ length: 30 }, () => ({ name: '', value: 'v'.repeat(2000) })),
      })),
      notice: '1 more alert',
    });
    const before = structuredClone(d);
    fitMessage(d);
    expect(d).toEqual(before);
  });
});

describe('fitMessage: text limits', () => {
  const long = (n: number) => 'x'.repeat(n + 10);
  type Get = (e: Embed) => string | undefined;
  const field0 = (e: Embed) => e.fields?.[0];
  it.each<[string, EmbedDraft, string, Get, number]>([
    ['title', { title: long(256) }, 'embeds[0].title', (e) => e.title, 256],
    ['description', { description: long(4096) }, 'embeds[0].description', (e) => e.description, 4096],
    [
      'field.name',
      { fields: [{ name: long(256), value: 'v' }] },
      'embeds[0].fields[0].name',
      (e) => field0(e)?.name,
      256,
    ],
    [
      'field.value',
      { fields: [{ name: 'n', value: long(1024) }] },
      'embeds[0].fields[0].value',
      (e) => field0(e)?.value,
      1024,
    ],
    ['footer.text', { footer: { text: long(2048) } }, 'embeds[0].footer.text', (e) => e.footer?.text, 2048],
    ['author.name', { author: { name: long(256) } }, 'embeds[0].author.name', (e) => e.author?.name, 256],
  ])('%s is cut to its limit with "…"', (name, embed, path, get, max) => {
    const limit = `${name} ${max}`;
    const r = fitMessage(oneEmbed(embed));
    const out = get(embedsOf(r)[0]!);
    expect(out).toBe(`${'x'.repeat(max - 1)}…`);
    expect(r.cuts).toEqual([cut(path, limit, 'truncated')]);
    expectValid(r);
  });

  it('content is cut to 2000', () => {
    const r = fitMessage(draft({ content: `  ${'c'.repeat(2500)}` }));
    expect(r.messages[0]?.content).toBe(`${'c'.repeat(1999)}…`);
    expect(r.cuts).toEqual([cut('content', 'content 2000', 'truncated')]);
  });

  it('thread_name is cut to 100; a blank one is replaced', () => {
    const r = fitMessage(draft({ content: 'x', thread_name: 't'.repeat(150) }));
    expect(r.messages[0]?.thread_name).toBe(`${'t'.repeat(99)}…`);
    expect(r.cuts).toEqual([cut('thread_name', 'thread_name 100', 'truncated')]);
    const blank = fitMessage(draft({ content: 'x', thread_name: '  ' }));
    expect(blank.messages[0]?.thread_name).toBe(EMPTY_FIELD);
    expect(blank.cuts).toEqual([cut('thread_name', 'non-empty', 'replaced')]);
  });

  it('lengths count after trimming', () => {
    const r = fitMessage(oneEmbed({ title: `   ${'t'.repeat(256)}\n\n` }));
    expect(r.cuts).toEqual([]);
  });

  it('an emoji at the boundary is dropped whole', () => {
    const r = fitMessage(oneEmbed({ title: `${'a'.repeat(254)}${EMOJI}bb` }));
    expect(embedsOf(r)[0]?.title).toBe(`${'a'.repeat(254)}…`);
    expectValid(r);
  });

  it('unpaired surrogates are replaced, and reported', () => {
    const r = fitMessage(oneEmbed({ title: 'a\ud83db', fields: [{ name: 'n', value: '\ude00' }] }));
    expect(embedsOf(r)[0]?.title).toBe('a\ufffdb');
    expect(embedsOf(r)[0]?.fields?.[0]?.value).toBe('\ufffd');
    expect(r.cuts).toEqual([
      cut('embeds[0].title', 'well-formed text', 'replaced'),
      cut('embeds[0].fields[0].value', 'well-formed text', 'replaced'),
    ]);
  });
});

describe('fitMessage: required and invalid values', () => {
  it('empty field name or value becomes "-"', () => {
    const r = fitMessage(
      oneEmbed({
        fields: [
          { name: '', value: ' \n ' },
          { name: 'ok', value: '' },
        ],
      }),
    );
    expect(embedsOf(r)[0]?.fields).toEqual([
      { name: '-', value: '-' },
      { name: 'ok', value: '-' },
    ]);
    expect(r.cuts).toEqual([
      cut('embeds[0].fields[0].name', 'non-empty', 'replaced'),
      cut('embeds[0].fields[0].value', 'non-empty', 'replaced'),
      cut('embeds[0].fields[1].value', 'non-empty', 'replaced'),
    ]);
  });

  it('empty footer text or author name drops the object', () => {
    const r = fitMessage(
      oneEmbed({
        title: 't',
        footer: { text: ' ', icon_url: 'https://example.com/i' },
        author: { name: '', url: 'https://example.com' },
      }),
    );
    expect(embedsOf(r)[0]).toEqual({ title: 't' });
    expect(r.cuts).toEqual([
      cut('embeds[0].footer', 'non-empty', 'dropped'),
      cut('embeds[0].author', 'non-empty', 'dropped'),
    ]);
  });

  it.each<[string, EmbedDraft, string]>([
    ['embed url', { url: 'not a url' }, 'embeds[0].url'],
    ['embed url, other scheme', { url: 'javascript:alert(1)' }, 'embeds[0].url'],
    ['footer icon', { footer: { text: 'f', icon_url: 'ftp://example.com/x' } }, 'embeds[0].footer.icon_url'],
    ['author url', { author: { name: 'a', url: '' } }, 'embeds[0].author.url'],
    ['author icon', { author: { name: 'a', icon_url: '/relative.png' } }, 'embeds[0].author.icon_url'],
    ['image', { image: { url: 'example.com/i.png' } }, 'embeds[0].image.url'],
    ['thumbnail', { thumbnail: { url: 'http://' } }, 'embeds[0].thumbnail.url'],
    // Discord refuses urls over 2048 characters; a long PromQL expression in a generator url gets there.
    ['embed url, too long', { url: `https://example.com/?${'x'.repeat(2028)}` }, 'embeds[0].url'],
    [
      'author url, too long',
      { author: { name: 'a', url: `https://example.com/${'x'.repeat(2029)}` } },
      'embeds[0].author.url',
    ],
  ])('invalid %s is dropped', (_name, embed, path) => {
    const r = fitMessage(oneEmbed({ title: 't', ...embed }));
    expect(r.cuts).toEqual([cut(path, 'http(s) url', 'dropped')]);
    expectValid(r);
  });

  it('keeps a url of exactly 2048 characters', () => {
    const long = `https://example.com/${'x'.repeat(2028)}`;
    expect(long.length).toBe(2048);
    const r = fitMessage(oneEmbed({ title: 't', url: long }));
    expect(embedsOf(r)[0]?.url).toBe(long);
    expect(r.cuts).toEqual([]);
  });

  it('invalid avatar_url is dropped on every message', () => {
    const r = fitMessage(draft({ content: 'x', avatar_url: 'nope' }));
    expect(r.messages[0]).not.toHaveProperty('avatar_url');
    expect(r.cuts).toEqual([cut('avatar_url', 'http(s) url', 'dropped')]);
  });

  const badTimestamps = ['yesterday', '2024-02-30T00:00:00Z', '2024-05-01', '2024-05-01T12:00:00', ''];
  it.each(badTimestamps)('timestamp %j is dropped', (ts) => {
    const r = fitMessage(oneEmbed({ title: 't', timestamp: ts }));
    expect(embedsOf(r)[0]).toEqual({ title: 't' });
    expect(r.cuts).toEqual([cut('embeds[0].timestamp', 'ISO 8601 timestamp', 'dropped')]);
  });

  it.each([-1, 0x1000000, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('color %d is dropped', (color) => {
    const r = fitMessage(oneEmbed({ title: 't', color }));
    expect(embedsOf(r)[0]).toEqual({ title: 't' });
    expect(r.cuts).toEqual([cut('embeds[0].color', 'color 0..0xFFFFFF', 'dropped')]);
  });

  const badUsernames = ['', '   ', 'u'.repeat(81), 'My Discord Bot', 'CLYDE', 'everyone', ' Here '];
  it.each(badUsernames)('username %j is dropped', (username) => {
    const r = fitMessage(draft({ content: 'x', username }));
    expect(r.messages[0]).not.toHaveProperty('username');
    expect(r.cuts).toEqual([cut('username', 'username 1-80, not discord/clyde/everyone/here', 'dropped')]);
  });

  it('usernames close to the forbidden words are kept', () => {
    for (const username of ['everyone-bot', 'here we go', 'disc ord', 'u'.repeat(80)]) {
      expect(fitMessage(draft({ content: 'x', username })).cuts).toEqual([]);
    }
  });

  it('non-integer flags are dropped', () => {
    const r = fitMessage(draft({ content: 'x', flags: 4.5 }));
    expect(r.messages[0]).not.toHaveProperty('flags');
    expect(r.cuts).toEqual([cut('flags', 'flags integer', 'dropped')]);
  });

  it('more than 5 applied_tags keeps the first 5', () => {
    const r = fitMessage(draft({ content: 'x', thread_name: 't', applied_tags: ['1', '2', '3', '4', '5', '6'] }));
    expect(r.messages[0]?.applied_tags).toEqual(['1', '2', '3', '4', '5']);
    expect(r.cuts).toEqual([cut('applied_tags', 'applied_tags 5', 'truncated')]);
  });

  it('allowed_mentions are repaired towards fewer pings', () => {
    const r = fitMessage(
      draft({
        content: 'x',
        allowed_mentions: {
          parse: ['roles', 'everyone', 'users'],
          roles: ['1', 'abc', ...Array.from({ length: 120 }, (_, i) => String(1000 + i))],
          users: ['42'],
        },
      }),
    );
    const am = r.messages[0]?.allowed_mentions;
    expect(am?.parse).toEqual(['everyone']);
    expect(am?.roles).toHaveLength(100);
    expect(am?.roles?.[0]).toBe('1');
    expect(am?.users).toEqual(['42']);
    expect(r.cuts).toEqual([cut('allowed_mentions', 'allowed_mentions', 'replaced')]);
    expectValid(r);
  });

  it('an embed with nothing to show gets a placeholder', () => {
    const r = fitMessage(draft({ embeds: [{}, { color: 5, title: '  ', url: 'https://example.com' }] }));
    expect(embedsOf(r)).toEqual([
      { description: EMPTY_EMBED },
      { description: EMPTY_EMBED, color: 5, title: '  ', url: 'https://example.com' },
    ]);
    expect(r.cuts).toEqual([
      cut('embeds[0]', 'embed not empty', 'replaced'),
      cut('embeds[1]', 'embed not empty', 'replaced'),
    ]);
    expectValid(r);
  });

  it.each<[string, MessageDraft]>([
    ['no content, no embeds', draft()],
    ['blank content, no embeds', draft({ content: ' \n ' })],
  ])('%s: one "(empty notification)" message', (_name, d) => {
    const r = fitMessage(d);
    expect(r.messages).toEqual([{ content: EMPTY_NOTIFICATION, embeds: [], allowed_mentions: NONE }]);
    expect(r.cuts).toEqual([cut('content', 'message not empty', 'replaced')]);
  });
});

describe('fitMessage: fields', () => {
  const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `n${i}`, value: `v${i}` }));

  it('more than 25 fields: 24 kept and a last one tells how many are not shown', () => {
    const r = fitMessage(oneEmbed({ fields: fields(40) }));
    const out = embedsOf(r)[0]?.fields ?? [];
    expect(out).toHaveLength(25);
    expect(out.slice(0, 24)).toEqual(fields(24));
    expect(out[24]).toEqual({ name: '…', value: '16 more fields not shown' });
    expect(r.cuts).toEqual([cut('embeds[0].fields', 'fields 25', 'dropped', 16)]);
  });

  it('fields beyond the cap are not checked one by one', () => {
    const r = fitMessage(oneEmbed({ fields: [...fields(24), { name: '', value: '' }, { name: '', value: '' }] }));
    expect(r.cuts).toEqual([cut('embeds[0].fields', 'fields 25', 'dropped', 2)]);
  });
});

describe('fitMessage: one embed over 6000', () => {
  const kib = 'v'.repeat(1024);

  it('cuts the description first, just enough', () => {
    const r = fitMessage(
      oneEmbed({ title: 't'.repeat(256), description: 'd'.repeat(4096), footer: { text: 'f'.repeat(2048) } }),
    );
    const e = embedsOf(r)[0]!;
    expect(e.title).toHaveLength(256);
    expect(e.footer?.text).toHaveLength(2048);
    expect(e.description).toBe(`${'d'.repeat(6000 - 256 - 2048 - 1)}…`);
    expect(r.cuts).toEqual([cut('embeds[0].description', 'embed total 6000', 'truncated')]);
    expectValid(r);
  });

  it('then field values from the last, then whole fields, each cut reported', () => {
    const r = fitMessage(
      oneEmbed({
        description: 'd'.repeat(100),
        fields: Array.from({ length: 25 }, (_, i) => ({ name: `${i}`.padEnd(256, 'n'), value: 'v'.repeat(1024) })),
      }),
    );
    const e = embedsOf(r)[0]!;
    expect(e.description).toBeUndefined();
    const out = e.fields ?? [];
    // 25 names of 256 already exceed 6000: every value is down to "…", then fields go.
    expect(out.slice(0, -1).every((f) => f.value === '…')).toBe(true);
    expect(out.at(-1)?.value).toMatch(/^\d+ more fields? not shown$/);
    expect(r.cuts[0]).toEqual(cut('embeds[0].description', 'embed total 6000', 'dropped'));
    expect(r.cuts[1]).toEqual(cut('embeds[0].fields[24].value', 'embed total 6000', 'truncated'));
    expect(r.cuts.filter((c) => c.action === 'dropped' && c.path.startsWith('embeds[0].fields['))).not.toHaveLength(0);
    expectValid(r);
  });

  it('shrinks values from the last only as far as needed', () => {
    const r = fitMessage(
      oneEmbed({ description: 'd'.repeat(4096), fields: Array.from({ length: 3 }, () => ({ name: 'n', value: kib })) }),
    );
    const e = embedsOf(r)[0]!;
    // 4096 + 3 × 1025 = 7171: the description alone gives up 1171.
    expect(e.description).toHaveLength(4096 - 1171);
    expect(e.fields?.map((f) => f.value.length)).toEqual([1024, 1024, 1024]);
    expectValid(r);
  });

  it('keeps the "more fields" marker intact while shrinking', () => {
    const r = fitMessage(oneEmbed({ fields: Array.from({ length: 30 }, () => ({ name: 'n', value: kib })) }));
    const out = embedsOf(r)[0]?.fields ?? [];
    expect(out.at(-1)).toEqual({ name: '…', value: '6 more fields not shown' });
    expectValid(r);
  });
});

describe('fitMessage: splitting into messages', () => {
  const small = (i: number): EmbedDraft => ({ title: `alert ${i}` });

  it('packs at most 10 embeds per message, in order', () => {
    const r = fitMessage(draft({ content: 'hdr', embeds: Array.from({ length: 23 }, (_, i) => small(i)) }));
    expect(r.messages.map((m) => m.embeds?.length)).toEqual([10, 10, 3]);
    expect(embedsOf(r).map((e) => e.title)).toEqual(Array.from({ length: 23 }, (_, i) => `alert ${i}`));
    expect(r.cuts).toEqual([cut('messages', 'embeds 10 / total 6000 per message', 'split', 3)]);
    expectValid(r);
  });

  it('starts a new message when the next embed would pass 6000', () => {
    const sizes = [2500, 2500, 1001, 1000, 4096];
    const r = fitMessage(draft({ embeds: sizes.map((n) => ({ description: 'x'.repeat(n) })) }));
    const packed = r.messages.map((m) => m.embeds?.map((e) => e.description?.length));
    expect(packed).toEqual([[2500, 2500], [1001, 1000], [4096]]);
    expect(r.cuts).toEqual([cut('messages', 'embeds 10 / total 6000 per message', 'split', 3)]);
  });

  it('content and forum fields go on the first message; the rest on every message', () => {
    const am = { parse: ['users' as const] };
    const r = fitMessage(
      draft({
        content: 'hdr',
        username: 'am',
        avatar_url: 'https://example.com/a.png',
        flags: 4,
        thread_name: 'post',
        applied_tags: ['1'],
        allowed_mentions: am,
        embeds: Array.from({ length: 11 }, (_, i) => small(i)),
      }),
    );
    const [first, second] = r.messages;
    expect(first).toMatchObject({ content: 'hdr', thread_name: 'post', applied_tags: ['1'] });
    expect(second).not.toHaveProperty('content');
    expect(second).not.toHaveProperty('thread_name');
    expect(second).not.toHaveProperty('applied_tags');
    for (const m of r.messages) {
      expect(m).toMatchObject({ username: 'am', avatar_url: 'https://example.com/a.png', flags: 4 });
      expect(m.allowed_mentions).toEqual(am);
    }
    // Each message owns its copy.
    expect(first?.allowed_mentions).not.toBe(second?.allowed_mentions);
  });
});

describe('fitMessage: distinct embed urls per message', () => {
  const GEN = 'http://prometheus.example:9090/graph?g0.expr=up';
  const alert = (i: number): EmbedDraft => ({ title: `alert ${i}`, url: GEN });
  const LIMIT = 'url distinct per message';

  it('a repeated url gets a marker, and each change is a cut at its draft path', () => {
    const r = fitMessage(draft({ embeds: [alert(0), alert(1), alert(2)] }));
    expect(embedsOf(r).map((e) => e.url)).toEqual([GEN, `${GEN}#2`, `${GEN}#3`]);
    expect(r.cuts).toEqual([cut('embeds[1].url', LIMIT, 'replaced'), cut('embeds[2].url', LIMIT, 'replaced')]);
    expectValid(r);
  });

  it('is judged per message: the first embed of each message keeps the url as it is', () => {
    const r = fitMessage(draft({ embeds: Array.from({ length: 12 }, (_, i) => alert(i)) }));
    expect(r.messages.map((m) => m.embeds?.[0]?.url)).toEqual([GEN, GEN]);
    expect(r.messages[1]?.embeds?.map((e) => e.url)).toEqual([GEN, `${GEN}#2`]);
    expect(r.cuts.filter((c) => c.limit === LIMIT)).toHaveLength(9 + 1);
    expectValid(r);
  });

  it('digest pages that share their url are told apart too', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const r = fitMessage(draft({ embeds: [{ title: 'digest', url: GEN, lines }] }));
    for (const m of r.messages) {
      const urls = (m.embeds ?? []).map((e) => e.url);
      expect(urls.length).toBeGreaterThan(1);
      expect(new Set(urls).size).toBe(urls.length);
    }
    expect(r.cuts).toContainEqual(cut('embeds[0].pages[1].url', LIMIT, 'replaced'));
    expectValid(r);
  });
});

describe('fitMessage: notice', () => {
  it('is appended as the last embed', () => {
    const r = fitMessage(draft({ embeds: [{ title: 'a' }], notice: '3 more alerts not shown by Alertmanager' }));
    expect(embedsOf(r)).toEqual([{ title: 'a' }, { description: '3 more alerts not shown by Alertmanager' }]);
    expect(r.cuts).toEqual([]);
  });

  it('opens a new message when the last one is full', () => {
    const r = fitMessage(draft({ embeds: Array.from({ length: 10 }, () => ({ title: 'a' })), notice: 'more' }));
    expect(r.messages.map((m) => m.embeds?.length)).toEqual([10, 1]);
    expect(r.messages[1]?.embeds?.[0]?.description).toBe('more');
  });

  it('makes an embed-only message when the draft is otherwise empty', () => {
    const r = fitMessage(draft({ notice: 'more' }));
    expect(r.messages).toEqual([{ embeds: [{ description: 'more' }], allowed_mentions: NONE }]);
    expect(r.cuts).toEqual([]);
  });

  it('a blank notice is dropped and reported', () => {
    const r = fitMessage(draft({ content: 'x', notice: '  ' }));
    expect(embedsOf(r)).toEqual([]);
    expect(r.cuts).toEqual([cut('notice', 'non-empty', 'dropped')]);
  });
});

it('handles a huge draft quickly', () => {
  const big = `${EMOJI}x`.repeat(5000);
  const d = draft({
    content: big,
    embeds: Array.from({ length: 60 }, () => ({
      title: big,
      description: big,
      footer: { text: big },
      author: { name: big },
      fields: Array.from({ length: 40 }, () => ({ name: big, value: big })),
    })),
    notice: big,
  });
  const start = performance.now();
  const r = fitMessage(d);
  expect(performance.now() - start).toBeLessThan(1000);
  expect(embedsOf(r)).toHaveLength(61);
  expectValid(r);
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** Well-formed text of `n` UTF-16 units or one less: never ends on half a pair. */
const ofLength = (chunk: string, n: number): string => {
  const s = chunk.repeat(Math.ceil(n / chunk.length)).slice(0, n);
  const last = s.charCodeAt(s.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? s.slice(0, -1) : s;
};
const asciiChar = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 });
const chunkArb = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }),
  fc.constantFrom(EMOJI, `a${EMOJI}`, '🇫🇷 ', ' 👍🏽 word', '𝕏yz', '\n'),
);
// Lengths around every limit.
const near = [1, 2, 99, 100, 101, 255, 256, 257, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 5999, 6001];
const textArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(''), weight: 2 },
  { arbitrary: fc.constantFrom(' ', '  \n\t ', '\u00a0'), weight: 2 },
  { arbitrary: fc.string({ unit: fc.oneof(asciiChar, fc.constantFrom(EMOJI, ' ', 'é')), maxLength: 30 }), weight: 8 },
  { arbitrary: fc.tuple(chunkArb, fc.constantFrom(...near)).map(([c, n]) => ofLength(c, n)), weight: 3 },
  { arbitrary: fc.tuple(chunkArb, fc.integer({ min: 0, max: 10_000 })).map(([c, n]) => ofLength(c, n)), weight: 1 },
  { arbitrary: fc.constantFrom('a\ud83d', '\ude00b', `x${EMOJI}\ud800`), weight: 1 },
);
const urlArb = fc.oneof(
  { arbitrary: fc.webUrl(), weight: 3 },
  {
    arbitrary: fc.constantFrom('', 'not a url', 'ftp://example.com/x', 'javascript:alert(1)', '/relative', 'http://'),
    weight: 1,
  },
);
const colorArb = fc.oneof(
  fc.integer({ min: 0, max: 0xffffff }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0x1000000, Number.NaN),
);
const timestampArb = fc.oneof(
  fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-05-01T12:00:00+02:00', 'yesterday', '2024-02-30T00:00:00Z', ''),
);
const fieldArb = fc.record(
  { name: textArb, value: textArb, inline: fc.boolean() },
  { requiredKeys: ['name', 'value'], noNullPrototype: true },
);
const fieldsArb = fc.oneof(
  { arbitrary: fc.array(fieldArb, { maxLength: 6 }), weight: 4 },
  { arbitrary: fc.array(fieldArb, { minLength: 20, maxLength: 40 }), weight: 1 },
);
const embedArb: fc.Arbitrary<EmbedDraft> = fc.record(
  {
    title: textArb,
    description: textArb,
    url: urlArb,
    timestamp: timestampArb,
    color: colorArb,
    footer: fc.record({ text: textArb, icon_url: urlArb }, { requiredKeys: ['text'], noNullPrototype: true }),
    author: fc.record(
      { name: textArb, url: urlArb, icon_url: urlArb },
      { requiredKeys: ['name'], noNullPrototype: true },
    ),
    thumbnail: fc.record({ url: urlArb }, { noNullPrototype: true }),
    image: fc.record({ url: urlArb }, { noNullPrototype: true }),
    fields: fieldsArb,
  },
  { requiredKeys: [], noNullPrototype: true },
);
const mentionsArb = fc.oneof(
  { arbitrary: fc.constant(NONE), weight: 4 },
  {
    arbitrary: fc.record(
      {
        parse: fc.subarray(['roles', 'users', 'everyone'] as ('roles' | 'users' | 'everyone')[]),
        roles: fc.array(fc.oneof(fc.stringMatching(/^\d{17,19}$/), fc.constant('x')), { maxLength: 3 }),
        users: fc.array(fc.stringMatching(/^\d{17,19}$/), { maxLength: 3 }),
      },
      { requiredKeys: ['parse'], noNullPrototype: true },
    ),
    weight: 1,
  },
);
const draftArb: fc.Arbitrary<MessageDraft> = fc.record(
  {
    content: textArb,
    username: fc.oneof(textArb, fc.constantFrom('Alertmanager', 'discord', 'here')),
    avatar_url: urlArb,
    embeds: fc.oneof(
      { arbitrary: fc.array(embedArb, { maxLength: 4 }), weight: 4 },
      { arbitrary: fc.array(embedArb, { minLength: 5, maxLength: 60 }), weight: 1 },
    ),
    allowed_mentions: mentionsArb,
    flags: fc.oneof(fc.constantFrom(0, 4, 4096), fc.double()),
    thread_name: textArb,
    applied_tags: fc.array(fc.stringMatching(/^\d{1,19}$/), { maxLength: 7 }),
    notice: textArb,
  },
  { requiredKeys: ['embeds', 'allowed_mentions'], noNullPrototype: true },
);

const noticeShown = (d: MessageDraft) => d.notice !== undefined && d.notice.replace(/^\s+|\s+$/g, '').length > 0;
const hasCutAt = (r: FitResult, prefix: string) =>
  r.cuts.some((c) => c.path === prefix || c.path.startsWith(`${prefix}.`) || c.path.startsWith(`${prefix}[`));

const MESSAGE_OPTIONS = [
  'content',
  'username',
  'avatar_url',
  'flags',
  'thread_name',
  'applied_tags',
  'allowed_mentions',
] as const;

describe('fitMessage: properties', () => {
  it('every message is valid; embeds kept in number and order; content once', () => {
    fc.assert(
      fc.property(draftArb, (d) => {
        const r = fitMessage(d);
        expectValid(r);
        const out = embedsOf(r);
        expect(out).toHaveLength(d.embeds.length + (noticeShown(d) ? 1 : 0));
        r.messages.slice(1).forEach((m) => {
          expect(m).not.toHaveProperty('content');
          expect(m).not.toHaveProperty('thread_name');
        });
        if (d.content !== undefined) expect(r.messages[0]).toHaveProperty('content');
        expect(r.cuts.filter((c) => c.action === 'split')).toHaveLength(r.messages.length > 1 ? 1 : 0);
      }),
      { numRuns: 150 },
    );
  });

  it('nothing changes without a cut reported at its path', () => {
    fc.assert(
      fc.property(draftArb, (d) => {
        const r = fitMessage(d);
        if (r.cuts.length === 0 && d.notice === undefined) expect(r.messages).toEqual([withoutNotice(d)]);
        const out = embedsOf(r);
        d.embeds.forEach((inEmbed, k) => {
          const outEmbed = out[k] as Record<string, unknown>;
          for (const key of new Set([...Object.keys(inEmbed), ...Object.keys(outEmbed)])) {
            if (!isDeepStrictEqual((inEmbed as Record<string, unknown>)[key], outEmbed[key])) {
              const reported = hasCutAt(r, `embeds[${k}].${key}`) || r.cuts.some((c) => c.path === `embeds[${k}]`);
              expect(reported, `embeds[${k}].${key}`).toBe(true);
            }
          }
        });
        const first = r.messages[0] as Record<string, unknown>;
        for (const key of MESSAGE_OPTIONS) {
          if (!isDeepStrictEqual(d[key], first[key])) expect(hasCutAt(r, key), key).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  /** A fitted message as a draft: keys set to undefined dropped, as JSON on the wire drops them. */
  const asDraft = (m: DiscordMessage): MessageDraft => definedOnly({ ...m, embeds: m.embeds ?? [] }) as MessageDraft;
  const definedOnly = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(definedOnly)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .map(([k, x]) => [k, definedOnly(x)]),
          )
        : v;

  it('fitting its own output changes nothing', () => {
    fc.assert(
      fc.property(draftArb, (d) => {
        for (const m of fitMessage(d).messages) {
          const again = fitMessage(asDraft(m));
          expect(again.cuts).toEqual([]);
          expect(again.messages).toEqual([m]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a draft that is already a valid message comes back unchanged', () => {
    const short = fc.string({ unit: fc.oneof(asciiChar, fc.constant(EMOJI)), minLength: 1, maxLength: 40 });
    const validEmbed = fc.record(
      {
        title: short,
        description: short,
        url: fc.webUrl(),
        color: fc.integer({ min: 0, max: 0xffffff }),
        footer: fc.record({ text: short }, { noNullPrototype: true }),
        fields: fc.array(fc.record({ name: short, value: short }, { noNullPrototype: true }), { maxLength: 25 }),
      },
      { requiredKeys: [], noNullPrototype: true },
    );
    const validDraft = fc.record(
      {
        content: short,
        username: fc.constantFrom('Alertmanager', 'prod alerts'),
        embeds: fc.array(validEmbed, { maxLength: 10 }),
        allowed_mentions: fc.constant(NONE),
        flags: fc.constantFrom(0, 4096),
      },
      { requiredKeys: ['embeds', 'allowed_mentions'], noNullPrototype: true },
    );
    fc.assert(
      fc.property(validDraft, (d) => {
        fc.pre(discordMessageSchema.safeParse(d).success);
        const r = fitMessage(d);
        expect(r.cuts).toEqual([]);
        expect(r.messages).toEqual([d]);
      }),
      { numRuns: 150 },
    );
  });
});
