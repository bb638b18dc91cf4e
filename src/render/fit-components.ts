import {
  COMPONENT,
  LINK_BUTTON,
  componentCount,
  linkButtonSchema,
  textDisplayLength,
  type Component,
  type InnerComponent,
  type LinkButton,
  type TextDisplay,
} from '../discord/components.js';
import { LIMITS, MESSAGE_FLAGS } from '../discord/limits.js';
import type { DiscordMessage } from '../discord/message.js';
import type { ButtonDraft, ComponentDraft } from './component-draft.js';
import { EMPTY_NOTIFICATION } from './fit-placeholders.js';
import type { FitCut, FitResult } from './fit-result.js';
import type { MessageDraft } from './message-draft.js';
import { fitMessage } from './fit-message.js';
import { hasLoneSurrogate, toWellFormed, truncate } from './truncate.js';

const L = {
  text: `text display ${LIMITS.textDisplay}`,
  sectionText: `section text ${LIMITS.textDisplay}`,
  label: `button label ${LIMITS.buttonLabel}`,
  url: `button url http(s) ${LIMITS.buttonUrl}`,
  required: 'non-empty',
  color: 'accent_color 0..0xFFFFFF',
  nested: 'no container in a container',
  container: `components ${LIMITS.componentsPerMessage} / text ${LIMITS.textDisplayTotal} per container`,
  split: `components ${LIMITS.componentsPerMessage} / text ${LIMITS.textDisplayTotal} per message`,
} as const;

/** Digest lines are packed into text displays of about this size, so a message's 4000 characters fill well. */
const LINES_CHUNK = 1000;

type Cuts = FitCut[];
const urlSchema = linkButtonSchema.shape.url;
const len = (s: string): number => s.trim().length;

function text(s: string, max: number, path: string, limit: string, cuts: Cuts): string | undefined {
  let t = truncate(s, max);
  if (t !== s) cuts.push({ path, limit, action: 'truncated' });
  if (hasLoneSurrogate(t)) {
    cuts.push({ path, limit: 'well-formed text', action: 'replaced' });
    t = toWellFormed(t);
  }
  return len(t) > 0 ? t : undefined;
}

const display = (content: string): TextDisplay => ({ type: COMPONENT.textDisplay, content });

/** A link button, or undefined (reported) when Discord would refuse its url or label. */
function fitButton(b: ButtonDraft, path: string, cuts: Cuts): LinkButton | undefined {
  const label = text(b.label, LIMITS.buttonLabel, `${path}.label`, L.label, cuts);
  if (label === undefined) {
    cuts.push({ path, limit: L.required, action: 'dropped' });
    return undefined;
  }
  const url = toWellFormed(b.url.trim());
  if (!urlSchema.safeParse(url).success) {
    // A shortened url would lead somewhere else: the button goes, the card stays.
    cuts.push({ path: `${path}.url`, limit: L.url, action: 'dropped' });
    return undefined;
  }
  return { type: COMPONENT.button, style: LINK_BUTTON, label, url };
}

/** Lines in order, none split, packed into text displays of about LINES_CHUNK characters. */
function packLines(lines: readonly string[], path: string, cuts: Cuts): TextDisplay[] {
  const out: TextDisplay[] = [];
  let chunk = '';
  lines.forEach((raw, j) => {
    const line = text(raw.trim(), LIMITS.textDisplay, `${path}.lines[${j}]`, L.text, cuts);
    if (line === undefined) return;
    if (chunk !== '' && chunk.length + 1 + line.length > LINES_CHUNK) {
      out.push(display(chunk));
      chunk = '';
    }
    chunk = chunk === '' ? line : `${chunk}\n${line}`;
  });
  if (chunk !== '') out.push(display(chunk));
  return out;
}

/** One draft as the components Discord takes inside a container (or at the top, but for containers). */
function fitInner(d: ComponentDraft, path: string, cuts: Cuts): InnerComponent[] {
  switch (d.type) {
    case 'text': {
      const t = text(d.content, LIMITS.textDisplay, `${path}.content`, L.text, cuts);
      return t === undefined ? [] : [display(t)];
    }
    case 'lines':
      return packLines(d.lines, path, cuts);
    case 'section': {
      // The section's texts share one budget, so a section fits any message on its own.
      let room = LIMITS.textDisplay;
      const texts: TextDisplay[] = [];
      d.texts.slice(0, LIMITS.textsPerSection).forEach((s, j) => {
        const t = room > 0 ? text(s, room, `${path}.texts[${j}]`, L.sectionText, cuts) : undefined;
        if (t === undefined) return;
        room -= len(t);
        texts.push(display(t));
      });
      if (texts.length === 0) return [];
      const accessory = fitButton(d.button, `${path}.button`, cuts);
      return accessory ? [{ type: COMPONENT.section, components: texts, accessory }] : texts;
    }
    case 'buttons': {
      const buttons = d.buttons.flatMap((b, j) => fitButton(b, `${path}.buttons[${j}]`, cuts) ?? []);
      const rows = [];
      for (let k = 0; k < buttons.length; k += LIMITS.buttonsPerRow) {
        rows.push({ type: COMPONENT.actionRow, components: buttons.slice(k, k + LIMITS.buttonsPerRow) });
      }
      return rows;
    }
    case 'separator': {
      const s: InnerComponent = { type: COMPONENT.separator };
      if (d.divider !== undefined) s.divider = d.divider;
      if (d.spacing !== undefined) s.spacing = d.spacing;
      return [s];
    }
    case 'container':
      // Discord nests no container in another: its children join the outer one.
      cuts.push({ path, limit: L.nested, action: 'replaced' });
      return d.components.flatMap((c, j) => fitInner(c, `${path}.components[${j}]`, cuts));
  }
}

const fitsEmpty = (c: readonly Component[]): boolean =>
  componentCount(c) <= LIMITS.componentsPerMessage && textDisplayLength(c) <= LIMITS.textDisplayTotal;

/**
 * A top-level draft as components that each fit an empty message. A container too big for one
 * message is split into several with the same accent, its children in order.
 */
function fitTop(d: ComponentDraft, path: string, cuts: Cuts): Component[] {
  if (d.type !== 'container') return fitInner(d, path, cuts);
  const children = d.components.flatMap((c, j) => fitInner(c, `${path}.components[${j}]`, cuts));
  if (children.length === 0) {
    cuts.push({ path, limit: L.required, action: 'dropped' });
    return [];
  }
  const shell: Omit<Extract<Component, { type: 17 }>, 'components'> = { type: COMPONENT.container };
  if (d.accent_color !== undefined) {
    const c = d.accent_color;
    if (Number.isInteger(c) && c >= 0 && c <= LIMITS.maxColor) shell.accent_color = c;
    else cuts.push({ path: `${path}.accent_color`, limit: L.color, action: 'dropped' });
  }
  if (d.spoiler) shell.spoiler = true;
  const whole = { ...shell, components: children };
  if (fitsEmpty([whole])) return [whole];
  const parts: Component[] = [];
  let part: InnerComponent[] = [];
  for (const child of children) {
    if (part.length > 0 && !fitsEmpty([{ ...shell, components: [...part, child] }])) {
      parts.push({ ...shell, components: part });
      part = [];
    }
    part.push(child);
  }
  if (part.length > 0) parts.push({ ...shell, components: part });
  cuts.push({ path, limit: L.container, action: 'split', count: parts.length });
  return parts;
}

/**
 * The Components V2 counterpart of fitMessage: every text, label and url within its limit
 * (a button whose url Discord would refuse is dropped and reported), the draft's content (the
 * target's pings, a note) as a text display in front, the components packed in order into as
 * many messages as need be, each within 40 components and 4000 text-display characters. A
 * card that fits a message is never split across two.
 */
export function fitComponents(draft: MessageDraft): FitResult {
  const { componentDrafts = [], content, notice, embeds: _embeds, ...envelopeDraft } = draft;
  // Sender, flags, forum post and mentions follow the same rules as for embeds: fitted there.
  const envelope = fitMessage({ ...envelopeDraft, embeds: [], content: EMPTY_NOTIFICATION });
  const cuts: Cuts = [...envelope.cuts];

  const units: Component[] = [];
  const head = content === undefined ? undefined : text(content, LIMITS.textDisplay, 'content', L.text, cuts);
  if (head !== undefined) units.push(display(head));
  componentDrafts.forEach((d, i) => units.push(...fitTop(d, `components[${i}]`, cuts)));
  const tail = notice === undefined ? undefined : text(notice, LIMITS.textDisplay, 'notice', L.text, cuts);
  if (tail !== undefined) units.push(display(tail));
  if (units.length === 0) {
    cuts.push({ path: 'components', limit: 'message not empty', action: 'replaced' });
    units.push(display(EMPTY_NOTIFICATION));
  }

  const groups: Component[][] = [[]];
  for (const u of units) {
    const group = groups[groups.length - 1]!;
    if (group.length > 0 && !fitsEmpty([...group, u])) groups.push([u]);
    else group.push(u);
  }
  if (groups.length > 1) cuts.push({ path: 'messages', limit: L.split, action: 'split', count: groups.length });

  const { content: _c, embeds: _e, thread_name, applied_tags, ...shared } = envelope.messages[0]!;
  const flags = (shared.flags ?? 0) | MESSAGE_FLAGS.isComponentsV2;
  const messages = groups.map((group, k): DiscordMessage => {
    const m: DiscordMessage = { ...shared, allowed_mentions: structuredClone(shared.allowed_mentions) };
    m.flags = flags;
    m.components = group;
    if (k === 0 && thread_name !== undefined) m.thread_name = thread_name;
    if (k === 0 && applied_tags !== undefined) m.applied_tags = applied_tags;
    return m;
  });
  return { messages, cuts };
}
