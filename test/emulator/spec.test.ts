/**
 * The emulator also judges every body by Discord's own OpenAPI spec (test/emulator/discord-spec):
 * what the spec refuses is answered 400 50035 with the path and recorded on the request. Where
 * the spec and the docs disagree, each case below says which side the emulator takes and why;
 * the spec's own README says the docs win.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorsAt, startEmulator, type Emulator, type ReceivedRequest, type WebhookHandle } from './index.js';
import { takeSpecViolations } from './spec-guard.js';

let emu: Emulator;
let hook: WebhookHandle;

beforeAll(async () => {
  emu = await startEmulator({ allowSpecViolations: true, webhookLimit: { limit: 1000, windowMs: 1000 } });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  hook = emu.createWebhook();
});

const url = (suffix = '') => `${emu.url}/api/v10/webhooks/${hook.id}/${hook.token}${suffix}`;

async function send(
  method: string,
  body: unknown,
  suffix = '',
): Promise<{ status: number; body: any; request: ReceivedRequest }> {
  const res = await fetch(url(suffix), {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, request: emu.requests.at(-1)! };
}
const post = (body: unknown) => send('POST', body, '?wait=true');
const x = (n: number) => 'a'.repeat(n);
const codes = (tree: unknown, path: (string | number)[]) => errorsAt(tree, path)?.map((e) => e.code);

describe('bodies the spec accepts', () => {
  it('passes a message shaped like the ones alertcord sends, and records no spec errors', async () => {
    const r = await post({
      username: 'Alertmanager',
      avatar_url: 'https://example.com/a.png',
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: 'Firing: HighLatency',
          url: 'http://prometheus.example:9090/graph?g0.expr=up#2',
          description: 'p99 over 2 s',
          color: 0xe74c3c,
          timestamp: '2024-05-01T12:00:00.000Z',
          fields: [{ name: 'instance', value: 'web-1', inline: true }],
          footer: { text: 'prod' },
        },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.request.specErrors).toBeUndefined();
  });

  it('passes an edit with null fields, as the update schema allows', async () => {
    const created = await post({ content: 'firing' });
    const r = await send(
      'PATCH',
      { content: 'resolved', embeds: null, allowed_mentions: { parse: [] } },
      `/messages/${created.body.id}`,
    );
    expect(r.status).toBe(200);
    expect(r.request.specErrors).toBeUndefined();
  });
});

describe('bodies the spec refuses: 400 50035 naming the path, recorded on the request', () => {
  it.each<[string, Record<string, unknown>, (string | number)[], string]>([
    ['content not a string', { content: 5 }, ['content'], 'BASE_TYPE_STRING'],
    ['embeds not a list', { content: 'x', embeds: {} }, ['embeds'], 'LIST_TYPE_CONVERT'],
    [
      'field inline not a boolean',
      { embeds: [{ fields: [{ name: 'n', value: 'v', inline: 'yes' }] }] },
      ['embeds', 0, 'fields', 0, 'inline'],
      'BASE_TYPE_BOOLEAN',
    ],
    ['username too long', { content: 'x', username: x(81) }, ['username'], 'BASE_TYPE_MAX_LENGTH'],
    [
      '11 embeds',
      { embeds: Array.from({ length: 11 }, (_, i) => ({ title: `t${i}` })) },
      ['embeds'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'unknown mention type',
      { content: 'x', allowed_mentions: { parse: ['here'] } },
      ['allowed_mentions', 'parse', 0],
      'BASE_TYPE_CHOICES',
    ],
    // Caught by the spec alone: the emulator's own rules do not look at these.
    [
      'avatar_url over 2048',
      { content: 'x', avatar_url: `https://example.com/${x(2030)}` },
      ['avatar_url'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'embed url over 2048',
      { embeds: [{ title: 't', url: `https://example.com/${x(2030)}` }] },
      ['embeds', 0, 'url'],
      'BASE_TYPE_MAX_LENGTH',
    ],
    ['unknown component type', { components: [{ type: 99 }] }, ['components', 0, 'type'], 'BASE_TYPE_CHOICES'],
    [
      'unknown button style',
      { components: [{ type: 1, components: [{ type: 2, style: 9, label: 'x' }] }] },
      ['components', 0, 'components', 0, 'style'],
      'BASE_TYPE_CHOICES',
    ],
    [
      'text display without content',
      { components: [{ type: 10 }] },
      ['components', 0, 'content'],
      'BASE_TYPE_REQUIRED',
    ],
    [
      'attachment without id',
      { content: 'x', attachments: [{ filename: 'a.txt' }] },
      ['attachments', 0, 'id'],
      'BASE_TYPE_REQUIRED',
    ],
    ['applied tag not a snowflake', { content: 'x', applied_tags: ['12a'] }, ['applied_tags', 0], 'NUMBER_TYPE_COERCE'],
  ])('%s', async (_name, body, path, code) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
    expect(errorsAt(r.body.errors, path)).toBeDefined();
    expect(codes(r.request.specErrors, path)).toContain(code);
  });

  it('names only the branch the body chose, not every other kind of component', async () => {
    const r = await post({ components: [{ type: 10, content: '' }] });
    expect(r.request.specErrors).toEqual({
      components: {
        0: { content: { _errors: [{ code: 'BASE_TYPE_MIN_LENGTH', message: 'Must be 1 or more in length.' }] } },
      },
    });
  });

  it('validates an edit against the update schema', async () => {
    const created = await post({ content: 'firing' });
    const r = await send('PATCH', { embeds: [{ title: 't', color: 'red' }] }, `/messages/${created.body.id}`);
    expect(r.status).toBe(400);
    expect(codes(r.request.specErrors, ['embeds', 0, 'color'])).toContain('NUMBER_TYPE_COERCE');
    expect(emu.messages[0]?.body.content).toBe('firing');
  });

  it('keeps Discord’s wording where the emulator’s own rule already named the path', async () => {
    const r = await post({ content: 'x', username: x(81) });
    // The spec says "max length" too; the tree keeps the emulator's Discord-exact error only.
    expect(r.body.errors).toEqual({
      username: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 80 in length.' }] },
    });
    expect(codes(r.request.specErrors, ['username'])).toEqual(['BASE_TYPE_MAX_LENGTH']);
  });

  it('fails the running test unless the emulator expects refusals', async () => {
    const strict = await startEmulator();
    try {
      const h = strict.createWebhook();
      await fetch(`${strict.url}/api/v10/webhooks/${h.id}/${h.token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'x', avatar_url: `https://example.com/${x(2030)}` }),
      });
      // Taken here, so the setup file's check after this test passes; left, it would fail it.
      const taken = takeSpecViolations();
      expect(taken.map((r) => r.method)).toEqual(['POST']);
      expect(codes(taken[0]?.specErrors, ['avatar_url'])).toEqual(['BASE_TYPE_MAX_LENGTH']);
    } finally {
      await strict.close();
    }
  });
});

/** Sent to the emulator: the request's status and what the spec alone found. */
async function verdict(body: Record<string, unknown>): Promise<{ status: number; spec: unknown }> {
  const r = await post(body);
  return { status: r.status, spec: r.request.specErrors };
}

describe('where the spec and the docs disagree', () => {
  it('lengths: counted after trimming (docs), not on the raw string (JSON Schema)', async () => {
    // message.mdx: limits apply after leading and trailing whitespace is trimmed. The spec's
    // maxLength counts the raw string and would refuse this 2003-character content; the docs are
    // right, so the emulator checks the spec against the trimmed body.
    expect(await verdict({ content: `  ${x(2000)}\n` })).toEqual({ status: 200, spec: undefined });
    expect((await verdict({ content: ` ${x(2001)} ` })).status).toBe(400);
  });

  it('lengths: UTF-16 units (emulator) against code points (JSON Schema)', async () => {
    // The docs do not say how characters are counted. JSON Schema counts code points, so the spec
    // passes 1001 emoji (2002 UTF-16 units); the emulator keeps the stricter UTF-16 reading,
    // which is safe under either.
    expect(await verdict({ content: '😀'.repeat(1001) })).toEqual({ status: 400, spec: undefined });
  });

  it('timestamp: any ISO 8601 (docs), not only RFC 3339 date-time with an offset (spec)', async () => {
    // message.mdx types the embed timestamp as an ISO 8601 timestamp; the spec's format
    // date-time would refuse a time without offset. The docs are right; the emulator reads the
    // format as ISO 8601.
    expect(await verdict({ embeds: [{ title: 't', timestamp: '2024-05-01T12:00:00' }] })).toEqual({
      status: 200,
      spec: undefined,
    });
  });

  it('urls: RFC 3986 (spec) is stricter than a WHATWG-parsable http(s) url (emulator)', async () => {
    // The docs only say "url". The spec's format uri refuses characters a browser would take
    // ("|", "{", a space); which Discord applies is not documented, so the stricter spec stands.
    const r = await verdict({ embeds: [{ title: 't', url: 'https://example.com/a|b' }] });
    expect(r.status).toBe(400);
    expect(codes(r.spec, ['embeds', 0, 'url'])).toEqual(['URL_TYPE_INVALID_URL']);
  });

  it('thread_name: 1 to 100 characters (docs), where the spec allows an empty one', async () => {
    // webhook.mdx: thread_name names the forum post to create; the spec's minLength is 0.
    const r = await verdict({ content: 'x', thread_name: '' });
    expect(r).toEqual({ status: 400, spec: undefined });
  });

  it('embed fields, footer, author, image: required parts (docs), optional in the spec', async () => {
    // message.mdx: field name and value are required and non-empty, footer.text, author.name and
    // image.url are required; the spec allows "" and leaves them out. The docs are right.
    for (const embed of [
      { fields: [{ name: '', value: 'v' }] },
      { fields: [{ name: 'n', value: ' ' }] },
      { title: 't', footer: {} },
      { title: 't', author: { url: 'https://example.com' } },
      { title: 't', image: {} },
    ]) {
      expect(await verdict({ embeds: [embed] }), JSON.stringify(embed)).toEqual({ status: 400, spec: undefined });
    }
  });

  it('flags: only SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2 (docs), any integer in the spec', async () => {
    // webhook.mdx lists the three flags a webhook may set; the spec types flags as an integer.
    expect(await verdict({ content: 'x', flags: 1 << 1 })).toEqual({ status: 400, spec: undefined });
  });

  it('username: the docs forbid "discord", "clyde", "everyone" and "here"; the spec only has a length', async () => {
    // webhook.mdx (username rules); the spec's username is any 1-80 character string.
    for (const username of ['my discord bot', 'Clyde', 'everyone']) {
      expect(await verdict({ content: 'x', username })).toEqual({ status: 400, spec: undefined });
    }
  });

  it('what the spec does not encode at all stays the emulator’s: 6000 in total, empty messages', async () => {
    const sixThousandAndOne = [{ description: x(4096) }, { title: x(256), description: x(1649) }];
    expect(await verdict({ embeds: sixThousandAndOne })).toEqual({ status: 400, spec: undefined });
    const empty = await post({ content: ' ' });
    expect([empty.status, empty.body.code, empty.request.specErrors]).toEqual([400, 50006, undefined]);
  });
});
