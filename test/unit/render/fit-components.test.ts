import { describe, expect, it } from 'vitest';
import { componentCount, linkButtons, textDisplayLength } from '../../../src/discord/components.js';
import { discordMessageSchema } from '../../../src/discord/message.js';
import type { ComponentDraft } from '../../../src/render/component-draft.js';
import { fitDraft } from '../../../src/render/fit-draft.js';
import type { MessageDraft } from '../../../src/render/message-draft.js';
import { addMentions } from '../../../src/render/mentions.js';
import { messageTemplateSchema } from '../../../src/render/template-schema.js';
import { independentProblems } from '../../support/discord-limits.js';

const V2 = 1 << 15;
const card = (i: number, extra: ComponentDraft[] = []): ComponentDraft => ({
  type: 'container',
  accent_color: 0xe74c3c,
  components: [
    {
      type: 'section',
      texts: [`### Alert ${i}`, 'summary'],
      button: { label: 'Runbook', url: `https://rb.example/${i}` },
    },
    { type: 'buttons', buttons: [{ label: 'Silence', url: 'http://am.example/#/silences/new' }] },
    ...extra,
  ],
});
const draft = (componentDrafts: ComponentDraft[]): MessageDraft => ({
  embeds: [],
  componentDrafts,
  allowed_mentions: { parse: [] },
});
const texts = (m: { components?: unknown }) => JSON.stringify(m.components);

function expectValid(messages: ReturnType<typeof fitDraft>['messages']) {
  for (const m of messages) {
    expect(discordMessageSchema.safeParse(m).success).toBe(true);
    expect(independentProblems(m)).toEqual([]);
    expect(m.flags).toBe(V2);
    expect(m).not.toHaveProperty('content');
    expect(m).not.toHaveProperty('embeds');
  }
}

describe('fitting Components V2 drafts', () => {
  it('packs cards in order into messages of at most 40 components, never splitting a card that fits', () => {
    const { messages, cuts } = fitDraft(draft(Array.from({ length: 30 }, (_, i) => card(i))));
    expectValid(messages);
    // A card is 7 components: 5 to a message.
    expect(messages.map((m) => m.components?.length)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(messages.every((m) => componentCount(m.components!) <= 40)).toBe(true);
    const order = messages.flatMap((m) => [...texts(m).matchAll(/Alert (\d+)/g)].map((x) => Number(x[1])));
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(cuts).toContainEqual(expect.objectContaining({ path: 'messages', action: 'split', count: 6 }));
  });

  it('keeps every message within 4000 text characters, splitting a container too big for one', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(80)}`);
    const { messages, cuts } = fitDraft(draft([{ type: 'container', components: [{ type: 'lines', lines }] }]));
    expectValid(messages);
    expect(messages.length).toBeGreaterThan(4);
    expect(messages.every((m) => textDisplayLength(m.components!) <= 4000)).toBe(true);
    const all = messages.map(texts).join('');
    expect(lines.every((l) => all.includes(l))).toBe(true);
    expect(cuts).toContainEqual(expect.objectContaining({ path: 'components[0]', action: 'split' }));
  });

  it('drops a button whose url is over 512 characters and reports it; the card stays', () => {
    const long = { label: 'Dashboard', url: `https://dash.example/${'a'.repeat(600)}` };
    const { messages, cuts } = fitDraft(draft([card(1, [{ type: 'buttons', buttons: [long] }])]));
    expectValid(messages);
    expect(linkButtons(messages[0]!.components!).map((b) => b.label)).toEqual(['Runbook', 'Silence']);
    expect(cuts).toContainEqual({
      path: 'components[0].components[2].buttons[0].url',
      limit: 'button url http(s) 512',
      action: 'dropped',
    });
  });

  it('cuts a label to 80 characters, and a section without its button becomes plain text', () => {
    const { messages, cuts } = fitDraft(
      draft([{ type: 'section', texts: ['t'], button: { label: 'L'.repeat(100), url: 'javascript:alert(1)' } }]),
    );
    expectValid(messages);
    expect(messages[0]!.components).toEqual([{ type: 10, content: 't' }]);
    expect(cuts.map((c) => c.action)).toEqual(['truncated', 'dropped']);
  });

  it("puts the target's pings in a leading text display and allows only those ids", () => {
    const withPings = addMentions(draft([card(1)]), { roles: ['123456789012345678'], users: [] }, undefined);
    const { messages } = fitDraft(withPings);
    expectValid(messages);
    expect(messages[0]!.components![0]).toEqual({ type: 10, content: '<@&123456789012345678>' });
    expect(messages[0]!.allowed_mentions).toEqual({ parse: [], roles: ['123456789012345678'] });
  });
});

describe('component templates', () => {
  const parse = (t: unknown) => messageTemplateSchema.safeParse(t);
  it('refuses embeds beside components, and an item of two kinds', () => {
    expect(parse({ embeds: [{ title: 'x' }], components: [{ text: 'x' }] }).success).toBe(false);
    const two = parse({ components: [{ text: 'x', buttons: [{ label: 'a', url: 'b' }] }] });
    expect(two.success).toBe(false);
    expect(two.error?.issues[0]?.path).toEqual(['components', 0, 'buttons']);
    expect(parse({ components: [{ lines_for_each: 'firing' }] }).success).toBe(false);
    expect(parse({ components: [{ container: { components: [{ text: 'x' }] } }] }).success).toBe(true);
  });
});
