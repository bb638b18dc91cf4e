/**
 * Components V2 as the emulator takes them from a plain webhook: only with
 * `with_components=true`, never beside content or embeds, within the message totals, link
 * buttons only; and what the client view then shows.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorsAt, shownButtons, startEmulator, visibleText, type Emulator, type WebhookHandle } from './index.js';

let emu: Emulator;
let hook: WebhookHandle;

beforeAll(async () => {
  // Some bodies here break the spec on purpose; the valid ones are checked against it below.
  emu = await startEmulator({ allowSpecViolations: true, webhookLimit: { limit: 1000, windowMs: 1000 } });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  hook = emu.createWebhook();
});

const V2 = 1 << 15;
const base = () => `${emu.url}/api/v10/webhooks/${hook.id}/${hook.token}`;

async function send(method: 'POST' | 'PATCH', body: unknown, suffix: string) {
  const res = await fetch(`${base()}${suffix}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const text = (content: string) => ({ type: 10, content });
const button = (label: string, url: string) => ({ type: 2, style: 5, label, url });
const card = (title: string) => ({
  type: 17,
  accent_color: 0xe74c3c,
  components: [
    { type: 9, components: [text(`### ${title}`)], accessory: button('Runbook', 'https://runbooks.example/a') },
    { type: 1, components: [button('Silence', 'http://am.example/#/silences/new')] },
  ],
});
const v2 = (components: unknown[]) => ({ flags: V2, allowed_mentions: { parse: [] }, components });

describe('Components V2 on a plain webhook', () => {
  it('stores a card sent with with_components=true, and the client view reads its texts and buttons', async () => {
    const r = await send('POST', v2([card('HighLatency')]), '?wait=true&with_components=true');
    expect(r.status).toBe(200);
    expect(emu.requests[0]?.specErrors).toBeUndefined();
    const [m] = emu.messages;
    expect(m?.body.components).toHaveLength(1);
    expect(visibleText(m!)).toBe('### HighLatency\nRunbook\nSilence');
    expect(shownButtons(m!)).toEqual([
      { label: 'Runbook', url: 'https://runbooks.example/a' },
      { label: 'Silence', url: 'http://am.example/#/silences/new' },
    ]);
  });

  it('ignores components without the query parameter: the message is empty', async () => {
    const r = await send('POST', v2([card('HighLatency')]), '?wait=true');
    expect(r).toEqual({ status: 400, body: { message: 'Cannot send an empty message', code: 50006 } });
    expect(emu.messages).toHaveLength(0);
  });

  it.each([
    ['content', { content: 'hi' }],
    ['embeds', { embeds: [{ title: 'x' }] }],
  ])('refuses %s beside the flag', async (key, extra) => {
    const r = await send('POST', { ...v2([text('x')]), ...extra }, '?wait=true&with_components=true');
    expect(r.status).toBe(400);
    expect(errorsAt(r.body.errors, [key])?.[0]?.code).toBe('MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2');
  });

  it('counts nested components towards 40, and text displays towards 4000 characters', async () => {
    // A card is 6 components (container, section, text, button, row, button): 7 make 42, 6 make 36.
    const many = Array.from({ length: 7 }, (_, i) => card(`a${i}`));
    const tooMany = await send('POST', v2(many), '?wait=true&with_components=true');
    expect(tooMany.status).toBe(400);
    expect(errorsAt(tooMany.body.errors, ['components'])?.[0]?.code).toBe('COMPONENT_LAYOUT_TOTAL_COMPONENTS_EXCEEDED');
    const ok = await send('POST', v2(many.slice(0, 6)), '?wait=true&with_components=true');
    expect(ok.status).toBe(200);

    const long = [text('a'.repeat(2000)), text('b'.repeat(2001))];
    const tooLong = await send('POST', v2(long), '?wait=true&with_components=true');
    expect(tooLong.status).toBe(400);
    expect(errorsAt(tooLong.body.errors, ['components'])?.[0]?.code).toBe('COMPONENT_LAYOUT_TOTAL_TEXT_EXCEEDED');
  });

  it('takes link buttons only, with a url of at most 512 characters', async () => {
    const interactive = { type: 1, components: [{ type: 2, style: 1, label: 'Ack', custom_id: 'ack' }] };
    const r1 = await send('POST', v2([interactive]), '?wait=true&with_components=true');
    expect(r1.status).toBe(400);
    expect(errorsAt(r1.body.errors, ['components', 0, 'components', 0])?.[0]?.code).toBe(
      'COMPONENT_INVALID_INTERACTIVE',
    );
    const longUrl = { type: 1, components: [button('Go', `https://x.example/${'a'.repeat(500)}`)] };
    const r2 = await send('POST', v2([longUrl]), '?wait=true&with_components=true');
    expect(r2.status).toBe(400);
    expect(errorsAt(r2.body.errors, ['components', 0, 'components', 0, 'url'])).toBeDefined();
  });

  it('edits a card in place with the query parameter, and keeps the flag', async () => {
    const created = await send('POST', v2([card('Firing')]), '?wait=true&with_components=true');
    const path = `/messages/${created.body.id}`;
    const ignored = await send('PATCH', { allowed_mentions: { parse: [] }, components: [card('Ignored')] }, path);
    expect(ignored.status).toBe(200);
    expect(visibleText(emu.messages[0]!)).toContain('Firing');

    const edited = await send(
      'PATCH',
      { allowed_mentions: { parse: [] }, components: [card('Resolved')] },
      `${path}?with_components=true`,
    );
    expect(edited.status).toBe(200);
    expect(visibleText(emu.messages[0]!)).toContain('Resolved');
    expect(emu.messages[0]?.body.flags).toBe(V2);

    const unflag = await send('PATCH', { flags: 0, allowed_mentions: { parse: [] } }, path);
    expect(unflag.status).toBe(400);
    const content = await send('PATCH', { content: 'x', allowed_mentions: { parse: [] } }, path);
    expect(content.status).toBe(400);
  });
});
