import type { Alert } from '../alertmanager/payload.js';
import { UNPRINTABLE } from './char-classes.js';
import type { AlertScope } from './compile-embed.js';
import type { CompiledButton, CompiledComponent, CompiledNode } from './compile-components.js';
import type { ButtonDraft, ComponentDraft } from './component-draft.js';
import { alertContext, type GroupContext } from './context.js';
import { cutToCapacity } from './cut-to-capacity.js';
import { isOff, parseColor, run } from './leaf-values.js';

/** Hands out a component's share of the render window: see `SlotWindow` in render.ts. */
export type Share = (count: number) => [number, number];

const scopeOf = (group: GroupContext, scope: AlertScope): Alert[] =>
  scope === 'firing' ? group.firing : scope === 'resolved' ? group.resolved : group.alerts;

const alertsOf = (c: CompiledComponent, scope: AlertScope, group: GroupContext): Alert[] => {
  const alerts = scopeOf(group, scope);
  return c.sort ? c.sort(alerts) : alerts;
};

/** Slots of a group-level component: one per digest line in it, else one. */
function lineSlots(c: CompiledComponent, group: GroupContext): number {
  const n = c.node;
  if (n.kind === 'lines') return scopeOf(group, n.scope).length;
  if (n.kind !== 'container') return 0;
  return n.children.reduce((sum, child) => sum + (child.forEach === undefined ? lineSlots(child, group) : 0), 0);
}

/** How many slots these components take for this group (per alert, per line, or one). */
export function componentSlots(items: readonly CompiledComponent[], group: GroupContext): number {
  return items.reduce(
    (sum, c) => sum + (c.forEach !== undefined ? scopeOf(group, c.forEach).length : Math.max(1, lineSlots(c, group))),
    0,
  );
}

/** Which of a component's digest lines fall into the window: lines are numbered across the component. */
interface LineWindow {
  from: number;
  to: number;
  next: number;
}

/** The template's components for one window of the group. Pure. */
export function renderComponents(
  items: readonly CompiledComponent[],
  group: GroupContext,
  share: Share,
): ComponentDraft[] {
  const out: ComponentDraft[] = [];
  for (const c of items) {
    if (c.forEach !== undefined) {
      const alerts = alertsOf(c, c.forEach, group);
      const [from, to] = share(alerts.length);
      for (const a of alerts.slice(Math.max(0, from), Math.max(0, to)))
        out.push(...renderOne(c, alertContext(a, group), group));
      continue;
    }
    const [from, to] = share(Math.max(1, lineSlots(c, group)));
    if (from >= to) continue;
    out.push(...renderOne(c, group, group, { from, to, next: 0 }));
  }
  return out;
}

function renderOne(c: CompiledComponent, ctx: unknown, group: GroupContext, window?: LineWindow): ComponentDraft[] {
  if (c.if && isOff(c.if(ctx))) return [];
  const node = renderNode(c, c.node, ctx, group, window);
  return node ? [node] : [];
}

function renderChildren(
  children: readonly CompiledComponent[],
  ctx: unknown,
  group: GroupContext,
  window?: LineWindow,
) {
  return children.flatMap((child) =>
    child.forEach === undefined
      ? renderOne(child, ctx, group, window)
      : alertsOf(child, child.forEach, group).flatMap((a) => renderOne(child, alertContext(a, group), group)),
  );
}

function renderNode(
  c: CompiledComponent,
  n: CompiledNode,
  ctx: unknown,
  group: GroupContext,
  window: LineWindow | undefined,
): ComponentDraft | undefined {
  switch (n.kind) {
    case 'container': {
      const components = renderChildren(n.children, ctx, group, window);
      if (components.length === 0) return undefined;
      const out: ComponentDraft = { type: 'container', components };
      const accent = parseColor(run(n.accent, ctx));
      if (accent !== undefined) out.accent_color = accent;
      const spoiler = typeof n.spoiler === 'function' ? !isOff(n.spoiler(ctx)) : n.spoiler;
      if (spoiler) out.spoiler = true;
      return out;
    }
    case 'text': {
      const content = run(n.text, ctx);
      return content === undefined ? undefined : { type: 'text', content };
    }
    case 'lines': {
      let alerts = alertsOf(c, n.scope, group);
      if (window) {
        const first = window.next;
        window.next += alerts.length;
        alerts = alerts.slice(Math.max(0, window.from - first), Math.max(0, window.to - first));
      }
      const lines: string[] = [];
      for (const a of alerts) {
        const raw = n.line(alertContext(a, group));
        const line = (n.line.capacity === undefined ? raw : cutToCapacity(raw, n.line.capacity))
          .replace(UNPRINTABLE, '')
          .trim();
        if (line !== '') lines.push(line);
      }
      return lines.length === 0 ? undefined : { type: 'lines', lines };
    }
    case 'section': {
      const texts = n.texts.flatMap((t) => run(t, ctx) ?? []);
      const button = renderButton(n.button, ctx);
      if (texts.length === 0) return undefined;
      // A section needs its accessory: without a button its texts stand alone.
      return button ? { type: 'section', texts, button } : { type: 'text', content: texts.join('\n') };
    }
    case 'buttons': {
      const buttons = n.buttons.flatMap((b) => renderButton(b, ctx) ?? []);
      return buttons.length === 0 ? undefined : { type: 'buttons', buttons };
    }
    case 'separator': {
      const out: ComponentDraft = { type: 'separator' };
      if (n.divider !== undefined) out.divider = n.divider;
      if (n.spacing !== undefined) out.spacing = n.spacing;
      return out;
    }
  }
}

/** A button whose label or url renders empty is left out (an alert without a runbook gets no Runbook button). */
function renderButton(b: CompiledButton, ctx: unknown): ButtonDraft | undefined {
  if (b.if && isOff(b.if(ctx))) return undefined;
  const label = run(b.label, ctx);
  const url = run(b.url, ctx);
  return label === undefined || url === undefined ? undefined : { label, url };
}
