import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorsAt,
  hiddenEmbeds,
  shownEmbeds,
  startEmulator,
  visibleText,
  type Emulator,
  type WebhookHandle,
} from './index.js';

let clock = 1_700_000_000_000;
const now = () => clock;
let emu: Emulator;
let hook: WebhookHandle;

beforeAll(async () => {
  emu = await startEmulator({ now, allowSpecViolations: true });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  clock += 600_000;
  hook = emu.createWebhook();
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

function hookUrl(h: WebhookHandle, suffix = '', version: string | null = 'v10', base = emu.url): string {
  return `${base}/api/${version ? `${version}/` : ''}webhooks/${h.id}/${h.token}${suffix}`;
}

async function call(method: string, url: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': contentType };
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

const post = (body: unknown, query = '', h = hook) => call('POST', hookUrl(h, query), body);
const x = (n: number, c = 'a') => c.repeat(n);

describe('execute webhook', () => {
  it('answers the message object with wait=true and 204 without', async () => {
    const embeds = [{ title: 'Firing', color: 0xff0000 }];
    const a = await post({ content: 'hello', embeds, allowed_mentions: { parse: [] } }, '?wait=true');
    expect(a.status).toBe(200);
    expect(a.body.id).toMatch(/^\d{17,20}$/);
    expect(a.body).toMatchObject({ content: 'hello', channel_id: hook.channelId, webhook_id: hook.id });
    expect(a.body.embeds).toEqual([{ title: 'Firing', color: 0xff0000, type: 'rich' }]);
    expect(Date.parse(a.body.timestamp)).toBe(clock);

    const b = await post({ content: 'again' });
    expect(b.status).toBe(204);
    expect(b.text).toBe('');

    expect(emu.messages).toHaveLength(2);
    expect(emu.messagesFor(hook.id).map((m) => m.body.content)).toEqual(['hello', 'again']);
    expect(emu.messages[0]!.body.allowed_mentions).toEqual({ parse: [] });
    expect(BigInt(emu.messages[1]!.id)).toBeGreaterThan(BigInt(emu.messages[0]!.id));
  });

  it('logs requests without the token', async () => {
    await post({ content: 'hi' }, '?wait=true');
    const [r] = emu.requests;
    expect(r).toMatchObject({
      method: 'POST',
      webhookId: hook.id,
      path: `/api/v10/webhooks/${hook.id}/:token?wait=true`,
      query: { wait: 'true' },
      body: { content: 'hi' },
      status: 200,
      at: clock,
    });
    expect(JSON.stringify(emu.requests)).not.toContain(hook.token);
  });

  it('hands out webhooks shaped like Discord', () => {
    expect(hook.id).toMatch(/^\d{18,19}$/);
    expect(hook.token).toMatch(/^[\w-]{68}$/);
    expect(hook.url).toBe(`https://discord.com/api/webhooks/${hook.id}/${hook.token}`);
  });

  it('counts lengths after trimming, in UTF-16 units', async () => {
    expect((await post({ content: `  ${x(2000)}\n` })).status).toBe(204);
    const sixThousand = [{ description: x(4096) }, { title: x(256), description: x(1648) }];
    expect((await post({ embeds: sixThousand })).status).toBe(204);
    expect((await post({ content: '😀'.repeat(1001) })).status).toBe(400);
  });
});

describe('what the client shows', () => {
  const GEN = 'http://prometheus.example:9090/graph?g0.expr=up';

  it('accepts embeds that repeat a url, as Discord does, but shows only the first of each url', async () => {
    const embeds = [
      { title: 'first', url: GEN, fields: [{ name: 'instance', value: 'a:9100' }] },
      { title: 'no url' },
      { title: 'second', url: GEN, footer: { text: 'hidden footer' } },
      { title: 'third', url: `${GEN}#3` },
    ];
    expect((await post({ content: 'top', embeds, allowed_mentions: { parse: [] } })).status).toBe(204);
    const [m] = emu.messages;
    expect(m!.body.embeds).toHaveLength(4);
    expect(shownEmbeds(m!).map((e) => e.title)).toEqual(['first', 'no url', 'third']);
    expect(hiddenEmbeds(m!)).toBe(1);
    const text = visibleText(m!);
    for (const seen of ['top', 'first', 'instance', 'a:9100', 'no url', 'third']) expect(text).toContain(seen);
    expect(text).not.toContain('second');
    expect(text).not.toContain('hidden footer');
  });

  it('shows no embed of a message sent with SUPPRESS_EMBEDS', async () => {
    expect((await post({ content: 'plain', embeds: [{ title: 'x' }], flags: 1 << 2 })).status).toBe(204);
    const [m] = emu.messages;
    expect(shownEmbeds(m!)).toEqual([]);
    expect(visibleText(m!)).toBe('plain');
  });
});

describe('form validation', () => {
  const field = (over: object) => ({ name: 'n', value: 'v', ...over });
  const cases: [string, unknown, (string | number)[], string][] = [
    ['content too long', { content: x(2001) }, ['content'], 'BASE_TYPE_MAX_LENGTH'],
    ['content not a string', { content: 5 }, ['content'], 'BASE_TYPE_STRING'],
    ['half a surrogate pair', { content: 'ok \uD83D' }, ['content'], 'STRING_TYPE_INVALID_UNICODE'],
    ['empty username', { content: 'c', username: '' }, ['username'], 'BASE_TYPE_BAD_LENGTH'],
    ['username too long', { content: 'c', username: x(81) }, ['username'], 'BASE_TYPE_BAD_LENGTH'],
    ['username with discord', { content: 'c', username: 'My DisCord bot' }, ['username'], 'USERNAME_INVALID_CONTAINS'],
    ['username with clyde', { content: 'c', username: 'clyde' }, ['username'], 'USERNAME_INVALID_CONTAINS'],
    ['username everyone', { content: 'c', username: 'Everyone' }, ['username'], 'USERNAME_INVALID'],
    ['avatar_url not a URL', { content: 'c', avatar_url: 'nope' }, ['avatar_url'], 'URL_TYPE_INVALID_URL'],
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, ['embeds'], 'BASE_TYPE_MAX_LENGTH'],
    ['embeds not a list', { embeds: { title: 't' } }, ['embeds'], 'LIST_TYPE_CONVERT'],
    ['empty embed', { embeds: [{ color: 1 }] }, ['embeds', 0, 'description'], 'BASE_TYPE_REQUIRED'],
    ['title', { embeds: [{ title: x(257) }] }, ['embeds', 0, 'title'], 'BASE_TYPE_MAX_LENGTH'],
    ['description', { embeds: [{ description: x(4097) }] }, ['embeds', 0, 'description'], 'BASE_TYPE_MAX_LENGTH'],
    [
      '26 fields',
      { embeds: [{ fields: Array.from({ length: 26 }, () => field({})) }] },
      ['embeds', 0, 'fields'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'field name empty',
      { embeds: [{ fields: [field({}), field({ name: ' ' })] }] },
      ['embeds', 0, 'fields', 1, 'name'],
      'BASE_TYPE_REQUIRED',
    ],
    [
      'field name long',
      { embeds: [{ fields: [field({ name: x(257) })] }] },
      ['embeds', 0, 'fields', 0, 'name'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'field value missing',
      { embeds: [{ fields: [{ name: 'n' }] }] },
      ['embeds', 0, 'fields', 0, 'value'],
      'BASE_TYPE_REQUIRED',
    ],
    [
      'field value long',
      { embeds: [{ fields: [field({}), field({ value: x(1025) })] }] },
      ['embeds', 0, 'fields', 1, 'value'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'field inline',
      { embeds: [{ fields: [field({ inline: 'yes' })] }] },
      ['embeds', 0, 'fields', 0, 'inline'],
      'BASE_TYPE_BOOLEAN',
    ],
    [
      'footer text',
      { embeds: [{ footer: { text: x(2049) } }] },
      ['embeds', 0, 'footer', 'text'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'footer without text',
      { embeds: [{ title: 't', footer: {} }] },
      ['embeds', 0, 'footer', 'text'],
      'BASE_TYPE_REQUIRED',
    ],
    [
      'author name',
      { embeds: [{ author: { name: x(257) } }] },
      ['embeds', 0, 'author', 'name'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'total over 6000',
      { embeds: [{ description: x(4096) }, { description: x(1905) }] },
      ['embeds'],
      'MAX_EMBED_SIZE_EXCEEDED',
    ],
    ['color too big', { embeds: [{ title: 't', color: 0x1000000 }] }, ['embeds', 0, 'color'], 'NUMBER_TYPE_MAX'],
    ['color negative', { embeds: [{ title: 't', color: -1 }] }, ['embeds', 0, 'color'], 'NUMBER_TYPE_MIN'],
    ['color as string', { embeds: [{ title: 't', color: '#ff0000' }] }, ['embeds', 0, 'color'], 'NUMBER_TYPE_COERCE'],
    ['url scheme', { embeds: [{ title: 't', url: 'ftp://x.org/a' }] }, ['embeds', 0, 'url'], 'URL_TYPE_INVALID_SCHEME'],
    [
      'image url',
      { embeds: [{ title: 't', image: { url: 'not a url' } }] },
      ['embeds', 0, 'image', 'url'],
      'URL_TYPE_INVALID_URL',
    ],
    [
      'thumbnail url',
      { embeds: [{ title: 't', thumbnail: { url: '/rel.png' } }] },
      ['embeds', 0, 'thumbnail', 'url'],
      'URL_TYPE_INVALID_URL',
    ],
    [
      'author icon_url',
      { embeds: [{ author: { name: 'a', icon_url: 'x' } }] },
      ['embeds', 0, 'author', 'icon_url'],
      'URL_TYPE_INVALID_URL',
    ],
    [
      'footer icon_url',
      { embeds: [{ footer: { text: 'f', icon_url: 'javascript:alert(1)' } }] },
      ['embeds', 0, 'footer', 'icon_url'],
      'URL_TYPE_INVALID_SCHEME',
    ],
    [
      'timestamp',
      { embeds: [{ title: 't', timestamp: '5 minutes ago' }] },
      ['embeds', 0, 'timestamp'],
      'DATE_TIME_TYPE_PARSE',
    ],
    [
      'timestamp date',
      { embeds: [{ title: 't', timestamp: '2024-02-30T10:00:00Z' }] },
      ['embeds', 0, 'timestamp'],
      'DATE_TIME_TYPE_PARSE',
    ],
    [
      'mention type',
      { content: 'c', allowed_mentions: { parse: ['channels'] } },
      ['allowed_mentions', 'parse', 0],
      'BASE_TYPE_CHOICES',
    ],
    [
      '101 roles',
      { content: 'c', allowed_mentions: { parse: [], roles: Array.from({ length: 101 }, (_, i) => String(i + 1)) } },
      ['allowed_mentions', 'roles'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      '101 users',
      { content: 'c', allowed_mentions: { parse: [], users: Array.from({ length: 101 }, (_, i) => String(i + 1)) } },
      ['allowed_mentions', 'users'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'role id',
      { content: 'c', allowed_mentions: { roles: ['admins'] } },
      ['allowed_mentions', 'roles', 0],
      'NUMBER_TYPE_COERCE',
    ],
    [
      'parse and list of roles',
      { content: 'c', allowed_mentions: { parse: ['roles'], roles: ['1'] } },
      ['allowed_mentions'],
      'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
    ],
    [
      'parse and list of users',
      { content: 'c', allowed_mentions: { parse: ['users'], users: ['1'] } },
      ['allowed_mentions'],
      'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
    ],
    ['flags', { content: 'c', flags: 1 << 1 }, ['flags'], 'MESSAGE_FLAGS_INVALID'],
    ['thread_name long', { content: 'c', thread_name: x(101) }, ['thread_name'], 'BASE_TYPE_BAD_LENGTH'],
    [
      '6 applied tags',
      { content: 'c', applied_tags: ['1', '2', '3', '4', '5', '6'] },
      ['applied_tags'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    ['body not an object', [1, 2], [], 'DICT_TYPE_CONVERT'],
  ];

  it.each(cases)('%s → 400 50035', async (_name, body, path, code) => {
    const a = await post(body);
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ message: 'Invalid Form Body', code: 50035 });
    expect(errorsAt(a.body.errors, path)?.map((e) => e.code)).toContain(code);
    expect(emu.messages).toHaveLength(0);
  });

  it('answers in Discord’s exact tree shape', async () => {
    const a = await post({ embeds: [{ fields: [field({}), field({ value: x(1025) })] }] });
    expect(a.body).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: {
          '0': {
            fields: {
              '1': {
                value: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' }] },
              },
            },
          },
        },
      },
    });
    const total = await post({ embeds: [{ description: x(4000) }, { description: x(4000) }] });
    expect(total.body.errors).toEqual({
      embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }] },
    });
  });

  it('collects every violation into one tree', async () => {
    const a = await post({ content: x(2001), username: 'discord', embeds: [{ title: x(300), color: -5 }] });
    const paths = [['content'], ['username'], ['embeds', 0, 'title'], ['embeds', 0, 'color']];
    for (const p of paths) expect(errorsAt(a.body.errors, p), p.join('.')).toHaveLength(1);
  });

  it('accepts allowed mention lists without the matching parse entry', async () => {
    const a = await post({ content: '<@1>', allowed_mentions: { parse: ['everyone'], users: ['1'], roles: [] } });
    expect(a.status).toBe(204);
  });
});

describe('empty and malformed bodies', () => {
  it.each([
    ['no fields', {}],
    ['blank content', { content: '  \n ' }],
    ['no embeds', { content: '', embeds: [] }],
  ])('%s → 50006', async (_name, body) => {
    const a = await post(body);
    expect(a.status).toBe(400);
    expect(a.body).toEqual({ message: 'Cannot send an empty message', code: 50006 });
  });

  it('ignores a body without a JSON content type', async () => {
    const a = await call('POST', hookUrl(hook), JSON.stringify({ content: 'hi' }), 'text/plain');
    expect(a.body).toMatchObject({ code: 50006 });
  });

  it('rejects invalid JSON with 50109', async () => {
    const a = await call('POST', hookUrl(hook), '{"content": "hi"');
    expect(a.status).toBe(400);
    expect(a.body).toEqual({ message: 'The request body contains invalid JSON.', code: 50109 });
  });
});

describe('rate limits', () => {
  it('counts the webhook bucket down and answers the 6th request in 2 s with 429', async () => {
    const start = clock;
    const buckets = new Set<string | null>();
    for (let i = 0; i < 5; i++) {
      const a = await post({ content: `m${i}` });
      expect(a.status).toBe(204);
      expect(a.headers.get('x-ratelimit-limit')).toBe('5');
      expect(a.headers.get('x-ratelimit-remaining')).toBe(String(4 - i));
      expect(Number(a.headers.get('x-ratelimit-reset'))).toBeCloseTo((start + 2000) / 1000, 3);
      expect(Number(a.headers.get('x-ratelimit-reset-after'))).toBeCloseTo(2 - i * 0.1, 3);
      buckets.add(a.headers.get('x-ratelimit-bucket'));
      clock += 100;
    }
    expect(buckets.size).toBe(1);
    clock = start + 1650;
    const limited = await post({ content: 'too many' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: 'You are being rate limited.', retry_after: 0.35, global: false });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(limited.headers.get('x-ratelimit-global')).toBeNull();
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(emu.messages).toHaveLength(5);

    clock = start + 2000;
    const again = await post({ content: 'later' });
    expect(again.status).toBe(204);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(emu.counts().status429ByScope).toEqual({ user: 1 });
  });

  it('keeps separate buckets per webhook and headers on every answer', async () => {
    const other = emu.createWebhook();
    const a = await post({ content: 'a' });
    const b = await post({ content: 'b' }, '', other);
    expect(a.headers.get('x-ratelimit-bucket')).not.toBe(b.headers.get('x-ratelimit-bucket'));
    expect(b.headers.get('x-ratelimit-remaining')).toBe('4');
    const bad = await post({});
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-ratelimit-remaining')).toBe('3');
  });

  it('enforces the hidden channel limit with scope shared while headers show room', async () => {
    const local = await startEmulator({ now, channelLimit: { limit: 3, windowMs: 60_000 } });
    try {
      const a = local.createWebhook();
      const b = local.createWebhook({ channelId: a.channelId });
      const send = (h: WebhookHandle) => call('POST', hookUrl(h, '', 'v10', local.url), { content: 'x' });
      const start = clock;
      expect((await send(a)).status).toBe(204);
      expect((await send(a)).status).toBe(204);
      clock += 5000;
      expect((await send(b)).status).toBe(204);
      clock += 10_000;
      const limited = await send(a);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        message: 'The write action you are performing on the channel has hit the write rate limit.',
        retry_after: 45,
        global: false,
        code: 20028,
      });
      expect(limited.headers.get('x-ratelimit-scope')).toBe('shared');
      expect(limited.headers.get('retry-after')).toBe('45');
      expect(Number(limited.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
      expect(local.messages).toHaveLength(3);
      expect(local.counts().status429ByScope).toEqual({ shared: 1 });

      const elsewhere = local.createWebhook();
      expect((await send(elsewhere)).status).toBe(204);
      clock = start + 60_000;
      expect((await send(b)).status).toBe(204);
    } finally {
      await local.close();
    }
  });

  it('applies the global limit with X-RateLimit-Global', async () => {
    const local = await startEmulator({ now, globalLimit: { limit: 2, windowMs: 1000 } });
    try {
      const hooks = [local.createWebhook(), local.createWebhook(), local.createWebhook()];
      const answers = [];
      for (const h of hooks) answers.push(await call('POST', hookUrl(h, '', 'v10', local.url), { content: 'x' }));
      expect(answers.map((a) => a.status)).toEqual([204, 204, 429]);
      const g = answers[2]!;
      expect(g.body).toEqual({ message: 'You are being rate limited.', retry_after: 1, global: true });
      expect(g.headers.get('x-ratelimit-global')).toBe('true');
      expect(g.headers.get('x-ratelimit-scope')).toBe('global');
    } finally {
      await local.close();
    }
  });

  it('answers the unversioned (v6) path with retry_after in milliseconds', async () => {
    const v6 = (body: unknown) => call('POST', hookUrl(hook, '', null), body);
    for (let i = 0; i < 5; i++) expect((await v6({ content: 'x' })).status).toBe(204);
    clock += 357;
    const limited = await v6({ content: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ global: false, message: 'You are being rate limited.', retry_after: 1643 });
    expect(limited.headers.get('retry-after')).toBe('1643');
    expect(emu.requests.at(-1)!.path).toBe(`/api/webhooks/${hook.id}/:token`);
  });

  it('can answer the unversioned path like v10', async () => {
    const local = await startEmulator({ now, unversionedIsV6: false, webhookLimit: { limit: 1, windowMs: 2000 } });
    try {
      const h = local.createWebhook();
      const send = () => call('POST', hookUrl(h, '', null, local.url), { content: 'x' });
      expect((await send()).status).toBe(204);
      const limited = await send();
      expect(limited.body.retry_after).toBe(2);
      expect(limited.headers.get('retry-after')).toBe('2');
    } finally {
      await local.close();
    }
  });

  it('gives v6 form errors in the legacy shape', async () => {
    const a = await call('POST', hookUrl(hook, '', null), { content: x(2001) });
    expect(a.status).toBe(400);
    expect(a.body).toEqual({ content: ['Must be 2000 or fewer in length.'] });
  });
});

describe('webhook and token errors', () => {
  it('answers 404 10015 for a deleted webhook', async () => {
    emu.deleteWebhook(hook.id);
    const a = await post({ content: 'x' });
    expect(a.status).toBe(404);
    expect(a.body).toEqual({ message: 'Unknown Webhook', code: 10015 });
    const unknown = await call('POST', `${emu.url}/api/v10/webhooks/123456789012345678/${hook.token}`, {
      content: 'x',
    });
    expect(unknown.body).toMatchObject({ code: 10015 });
  });

  it('answers 401 50027 for a wrong token', async () => {
    const wrong = { ...hook, token: (hook.token[0] === 'a' ? 'b' : 'a') + hook.token.slice(1) };
    const a = await post({ content: 'x' }, '', wrong);
    expect(a.status).toBe(401);
    expect(a.body).toEqual({ message: 'Invalid Webhook Token', code: 50027 });
    expect(emu.counts().byStatus[401]).toBe(1);
  });
});

describe('editing messages', () => {
  it('edits, reads and deletes a message', async () => {
    const sent = await post({ content: 'firing', allowed_mentions: { parse: [] }, username: 'am' }, '?wait=true');
    const url = hookUrl(hook, `/messages/${sent.body.id}`);
    clock += 1000;
    const edited = await call('PATCH', url, { content: 'resolved', embeds: [{ title: 'ok' }], username: 'ignored' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: sent.body.id,
      content: 'resolved',
      embeds: [{ title: 'ok', type: 'rich' }],
    });
    expect(Date.parse(edited.body.edited_timestamp)).toBe(clock);
    const [stored] = emu.messages;
    expect(stored).toMatchObject({ edits: 1, editedAt: clock, body: { content: 'resolved', username: 'am' } });
    expect(stored!.body.allowed_mentions).toBeUndefined();

    expect((await call('GET', url)).body.content).toBe('resolved');
    const tooLong = await call('PATCH', url, { embeds: [{ title: x(257) }] });
    expect(errorsAt(tooLong.body.errors, ['embeds', 0, 'title'])).toHaveLength(1);
    expect((await call('PATCH', url, { content: '', embeds: [] })).body).toMatchObject({ code: 50006 });
    expect(stored!.edits).toBe(1);

    clock += 5000;
    expect((await call('DELETE', url)).status).toBe(204);
    expect((await call('GET', url)).body).toEqual({ message: 'Unknown Message', code: 10008 });
  });

  it('answers 404 10008 for an unknown message', async () => {
    const a = await call('PATCH', hookUrl(hook, '/messages/1234567890123456789'), { content: 'x' });
    expect(a.status).toBe(404);
    expect(a.body).toEqual({ message: 'Unknown Message', code: 10008 });
  });

  it('does not let another webhook edit the message', async () => {
    const sent = await post({ content: 'x' }, '?wait=true');
    const other = emu.createWebhook({ channelId: hook.channelId });
    const a = await call('PATCH', hookUrl(other, `/messages/${sent.body.id}`), { content: 'y' });
    expect(a.body).toMatchObject({ code: 10008 });
  });
});

describe('forum channels', () => {
  it('requires exactly one of thread_name and thread_id', async () => {
    const forum = emu.createWebhook({ forum: true });
    expect((await post({ content: 'x' }, '', forum)).body).toMatchObject({ code: 220001 });
    const both = await post({ content: 'x', thread_name: 'alert' }, '?thread_id=1234567890123456789', forum);
    expect(both.body).toMatchObject({ code: 220002 });
    expect((await post({ content: 'x', thread_name: 'alert' })).body).toMatchObject({ code: 220003 });
  });

  it('creates a post and edits it only through its thread', async () => {
    const forum = emu.createWebhook({ forum: true });
    const created = await post({ content: 'x', thread_name: 'HighCPU', applied_tags: ['1'] }, '?wait=true', forum);
    expect(created.status).toBe(200);
    expect(created.body.channel_id).toBe(created.body.id);
    expect(emu.messages[0]).toMatchObject({ channelId: forum.channelId, threadId: created.body.id });

    const reply = await post({ content: 'y' }, `?wait=true&thread_id=${created.body.id}`, forum);
    expect(reply.body.channel_id).toBe(created.body.id);

    const msg = hookUrl(forum, `/messages/${created.body.id}`);
    expect((await call('PATCH', msg, { content: 'z' })).body).toMatchObject({ code: 10008 });
    expect((await call('PATCH', `${msg}?thread_id=${created.body.id}`, { content: 'z' })).status).toBe(200);
  });
});

describe('archived threads', () => {
  const ARCHIVED = { message: 'Thread is archived', code: 50083 };
  const open = async (forum: WebhookHandle) => {
    const created = await post({ content: 'firing', thread_name: 'HighCPU' }, '?wait=true', forum);
    const thread = created.body.id as string;
    return { thread, msg: `${hookUrl(forum, `/messages/${thread}`)}?thread_id=${thread}` };
  };

  it('archives a forum post after its channel duration without a new message; edits do not keep it open', async () => {
    const forum = emu.createWebhook({ forum: true, autoArchiveMinutes: 60 });
    const { thread, msg } = await open(forum);
    expect(emu.thread(thread)).toMatchObject({ channelId: forum.channelId, autoArchiveMinutes: 60, archived: false });
    clock += 59 * 60_000;
    expect((await call('PATCH', msg, { content: 'still firing' })).status).toBe(200);
    clock += 60_000;
    expect(emu.thread(thread)!.archived).toBe(true);
    const refused = await call('PATCH', msg, { content: 'resolved' });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(ARCHIVED);
    expect(emu.messages[0]!.body.content).toBe('still firing');
  });

  it('takes the emulator-wide duration unless the channel has its own', async () => {
    const other = await startEmulator({ now, autoArchiveMinutes: 10080 });
    try {
      const forum = other.createWebhook({ forum: true });
      const created = await call('POST', hookUrl(forum, '?wait=true', 'v10', other.url), {
        content: 'x',
        thread_name: 'T',
      });
      expect(other.thread(created.body.id)!.autoArchiveMinutes).toBe(10080);
    } finally {
      await other.close();
    }
    const { thread } = await open(emu.createWebhook({ forum: true }));
    expect(emu.thread(thread)!.autoArchiveMinutes).toBe(1440);
  });

  it('refuses edits and deletes in a thread archived by hand, but still lets a message be read', async () => {
    const forum = emu.createWebhook({ forum: true });
    const { thread, msg } = await open(forum);
    emu.archiveThread(thread);
    expect(await call('PATCH', msg, { content: 'resolved' })).toMatchObject({ status: 400, body: ARCHIVED });
    expect(await call('DELETE', msg)).toMatchObject({ status: 400, body: ARCHIVED });
    expect((await call('GET', msg)).body.content).toBe('firing');
    expect(emu.messages[0]!.edits).toBe(0);
    expect(emu.messages[0]!.deletedAt).toBeUndefined();
    expect(emu.counts().status400).toBe(2);
    expect(() => emu.archiveThread('1234567890123456789')).toThrow(/no thread/);
  });

  it('unarchives a thread when a message is posted into it, and counts that as activity', async () => {
    const forum = emu.createWebhook({ forum: true, autoArchiveMinutes: 60 });
    const { thread, msg } = await open(forum);
    clock += 2 * 60 * 60_000;
    expect(emu.thread(thread)!.archived).toBe(true);
    const reply = await post({ content: 'resolved' }, `?wait=true&thread_id=${thread}`, forum);
    expect(reply.status).toBe(200);
    expect(emu.thread(thread)).toMatchObject({ archived: false, lastActivityAt: clock });
    expect((await call('PATCH', msg, { content: 'resolved' })).status).toBe(200);

    emu.archiveThread(thread);
    await post({ content: 'again' }, `?thread_id=${thread}`, forum);
    expect(emu.thread(thread)!.archived).toBe(false);
    clock += 60 * 60_000;
    expect(emu.thread(thread)!.archived).toBe(true);
  });

  it('forgets threads on reset', async () => {
    const { thread } = await open(emu.createWebhook({ forum: true }));
    emu.reset();
    expect(emu.thread(thread)).toBeUndefined();
  });
});

describe('faults', () => {
  it('answers 5xx at serverErrorRate 1', async () => {
    emu.setFaults({ serverErrorRate: 1 });
    for (let i = 0; i < 3; i++) expect([500, 502, 503]).toContain((await post({ content: 'x' })).status);
    emu.setFaults({ serverErrorRate: 1, random: () => 0.5 });
    const edge = await post({ content: 'x' });
    expect(edge.status).toBe(502);
    expect(edge.text).toContain('Bad Gateway');
    expect(edge.headers.get('x-ratelimit-limit')).toBeNull();
    expect(emu.messages).toHaveLength(0);
    emu.setFaults({});
    expect((await post({ content: 'x' })).status).toBe(204);
  });

  it('destroys the socket at resetRate 1', async () => {
    emu.setFaults({ resetRate: 1 });
    await expect(post({ content: 'x' })).rejects.toThrow();
    expect(emu.requests.at(-1)!.status).toBe(0);
    expect(emu.messages).toHaveLength(0);
  });

  it('forces the next N answers to 429', async () => {
    emu.setFaults({ force429: { count: 2, retryAfter: 1.5, global: true } });
    const first = await post({ content: 'x' });
    expect(first.status).toBe(429);
    expect(first.body).toEqual({ message: 'You are being rate limited.', retry_after: 1.5, global: true });
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.headers.get('x-ratelimit-global')).toBe('true');
    expect((await post({ content: 'x' })).status).toBe(429);
    expect((await post({ content: 'x' })).status).toBe(204);

    emu.setFaults({ force429: { count: 1, retryAfter: 42, scope: 'shared' } });
    const shared = await post({ content: 'x' });
    expect(shared.body).toMatchObject({ code: 20028, retry_after: 42, global: false });
    expect(shared.headers.get('x-ratelimit-scope')).toBe('shared');
    expect(emu.counts()).toMatchObject({
      total: 4,
      byStatus: { 204: 1, 429: 3 },
      status429ByScope: { global: 2, shared: 1 },
    });
  });

  it('adds latency', async () => {
    emu.setFaults({ latencyMs: 60 });
    const t0 = performance.now();
    await post({ content: 'x' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });
});
