import type { Alert, Notification } from '../alertmanager/payload.js';
import type { AllowedMentions } from '../discord/message.js';
import { alertContext, groupContext, type GroupContext } from './context.js';
import type { EmbedDraft, MessageDraft } from './message-draft.js';
import type { Leaf } from './compile-leaf.js';
import { cutToCapacity } from './cut-to-capacity.js';
import { componentSlots, renderComponents } from './render-components.js';
import { isOff, parseColor, run } from './leaf-values.js';
import type { AlertScope, CompiledEmbed } from './compile-embed.js';
import type { CompiledTemplate } from './template-set.js';

export interface RenderInput {
  notification: Notification;
  target: string;
  allowedMentions: AllowedMentions;
  username?: string | undefined;
  avatarUrl?: string | undefined;
  /** Render only these slots (see `slotCount`); absent: all of them. */
  window?: SlotWindow | undefined;
}

/**
 * A range of a template's slots: each alert of a per-alert or digest embed is one, each
 * group-level embed is one. A huge group is rendered a window at a time, in order, so no
 * single send renders more than a window's worth of alerts.
 */
export interface SlotWindow {
  from: number;
  to: number;
}

/** A window's worth of slots: bounds the work of one render, whatever the group's size. */
export const WINDOW_SLOTS = 250;

/** Alert text never pings: only mentions the config names explicitly are allowed. */
export const NO_MENTIONS: AllowedMentions = { parse: [] };

/** Template + notification → a draft message; fitting to Discord's limits comes after. Pure. */
export function renderDraft(template: CompiledTemplate, input: RenderInput): MessageDraft {
  const group = groupContext(input.notification, input.target);
  const window = input.window ?? { from: 0, to: Infinity };
  let slot = 0;
  // The embed's share of the window: the slice of its `count` slots that falls inside.
  const share = (count: number): [number, number] => {
    const first = slot;
    slot += count;
    return [Math.max(window.from, first) - first, Math.min(window.to, slot) - first];
  };
  const embeds: EmbedDraft[] = [];
  for (const e of template.embeds) {
    const scope = e.lines?.scope ?? e.forEach;
    const alerts = scope === undefined ? undefined : alertsIn(e, scope, group);
    const [from, to] = share(alerts?.length ?? 1);
    if (from >= to) continue;
    if (e.lines) {
      const digest = renderDigest(e, e.lines.line, alerts!.slice(from, to), group);
      if (digest) embeds.push(digest);
      continue;
    }
    const scopes = alerts ? alerts.slice(from, to).map((a) => alertContext(a, group)) : [group];
    for (const ctx of scopes) {
      if (e.if && isOff(e.if(ctx))) continue;
      const embed = renderEmbed(e, ctx);
      // Discord rejects an embed with nothing to show (only colour, url or timestamp).
      if (hasVisibleContent(embed)) embeds.push(embed);
    }
  }
  const draft: MessageDraft = { embeds, allowed_mentions: input.allowedMentions };
  if (template.components) draft.componentDrafts = renderComponents(template.components, group, share);
  // The first window opens the message (content, thread name); the last one closes it (notice).
  const first = window.from === 0;
  const content = first ? run(template.content, group) : undefined;
  if (content !== undefined) draft.content = content;
  const username = input.username ?? run(template.username, group);
  if (username !== undefined) draft.username = username;
  const avatar = input.avatarUrl ?? run(template.avatarUrl, group);
  if (avatar !== undefined) draft.avatar_url = avatar;
  const threadName = first ? run(template.threadName, group) : undefined;
  if (threadName !== undefined) draft.thread_name = threadName;
  if (input.notification.truncatedAlerts > 0 && window.to >= slot) {
    const n = input.notification.truncatedAlerts;
    draft.notice = `${n} more alert${n === 1 ? '' : 's'} in this group not sent by Alertmanager (max_alerts).`;
  }
  return draft;
}

/** The template's slots for this notification: how many windows a render of it takes. */
export function slotCount(template: CompiledTemplate, notification: Notification): number {
  let n = 0;
  for (const e of template.embeds) {
    const scope = e.lines?.scope ?? e.forEach;
    n += scope === undefined ? 1 : scopeOf(notification.alerts, scope).length;
  }
  if (template.components) n += componentSlots(template.components, groupContext(notification, ''));
  return n;
}

const scopeOf = (alerts: Alert[], scope: AlertScope): Alert[] =>
  scope === 'alerts' ? alerts : alerts.filter((a) => a.status === scope);

function alertsIn(e: CompiledEmbed, scope: AlertScope, group: GroupContext): Alert[] {
  const alerts = scope === 'firing' ? group.firing : scope === 'resolved' ? group.resolved : group.alerts;
  return e.sort ? e.sort(alerts) : alerts;
}

/**
 * A digest: the embed's parts rendered once for the group, plus one line per alert. Fitting
 * packs the lines into as many embeds as they need. Left out when no alert has a line.
 */
function renderDigest(e: CompiledEmbed, lineLeaf: Leaf, alerts: readonly Alert[], group: GroupContext) {
  if (e.if && isOff(e.if(group))) return undefined;
  const lines: string[] = [];
  for (const alert of alerts) {
    const raw = lineLeaf(alertContext(alert, group));
    const line = (lineLeaf.capacity === undefined ? raw : cutToCapacity(raw, lineLeaf.capacity)).trim();
    if (line !== '') lines.push(line);
  }
  return lines.length > 0 ? { ...renderEmbed(e, group), lines } : undefined;
}

function renderEmbed(e: CompiledEmbed, ctx: unknown): EmbedDraft {
  const embed: EmbedDraft = {};
  const title = run(e.leaves.title, ctx);
  if (title !== undefined) embed.title = title;
  const description = run(e.leaves.description, ctx);
  if (description !== undefined) embed.description = description;
  const url = run(e.leaves.url, ctx);
  if (url !== undefined) embed.url = url;
  const color = parseColor(run(e.leaves.color, ctx));
  if (color !== undefined) embed.color = color;
  const timestamp = run(e.leaves.timestamp, ctx);
  if (timestamp !== undefined) embed.timestamp = timestamp;
  if (e.author) {
    const name = run(e.author.name, ctx);
    if (name !== undefined)
      embed.author = withOptional({ name }, { url: run(e.author.url, ctx), icon_url: run(e.author.icon_url, ctx) });
  }
  if (e.footer) {
    const text = run(e.footer.text, ctx);
    if (text !== undefined) embed.footer = withOptional({ text }, { icon_url: run(e.footer.icon_url, ctx) });
  }
  const thumb = run(e.thumbnail, ctx);
  if (thumb !== undefined) embed.thumbnail = { url: thumb };
  const image = run(e.image, ctx);
  if (image !== undefined) embed.image = { url: image };
  const fields = [];
  for (const f of e.fields) {
    if (f.if && isOff(f.if(ctx))) continue;
    const name = run(f.name, ctx);
    const value = run(f.value, ctx);
    if (name === undefined || value === undefined) continue;
    const inline = typeof f.inline === 'function' ? !isOff(f.inline(ctx)) : f.inline;
    fields.push(inline === undefined ? { name, value } : { name, value, inline });
  }
  if (fields.length > 0) embed.fields = fields;
  return embed;
}

function hasVisibleContent(e: EmbedDraft): boolean {
  return Boolean(e.title || e.description || e.fields?.length || e.author || e.footer || e.image || e.thumbnail);
}

function withOptional<T extends object>(base: T, extra: Record<string, string | undefined>): T {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  return base;
}
