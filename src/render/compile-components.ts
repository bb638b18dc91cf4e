import type { Alert } from '../alertmanager/payload.js';
import { LIMITS } from '../discord/limits.js';
import type { SeverityLook } from './severity-look.js';
import type { Leaf } from './compile-leaf.js';
import type { AlertScope, LeafCompiler } from './compile-embed.js';
import type { ComponentTemplateSource } from './component-template-schema.js';
import { alertSorter } from './sort-alerts.js';

export interface CompiledButton {
  label: Leaf;
  url: Leaf;
  if: Leaf | undefined;
}

export type CompiledNode =
  | { kind: 'container'; accent: Leaf | undefined; spoiler: Leaf | boolean | undefined; children: CompiledComponent[] }
  | { kind: 'text'; text: Leaf }
  | { kind: 'lines'; scope: AlertScope; line: Leaf }
  | { kind: 'section'; texts: Leaf[]; button: CompiledButton }
  | { kind: 'buttons'; buttons: CompiledButton[] }
  | { kind: 'separator'; divider: boolean | undefined; spacing: 1 | 2 | undefined };

export interface CompiledComponent {
  node: CompiledNode;
  /** Repeat once per alert of this scope. */
  forEach: AlertScope | undefined;
  /** Puts the scope's alerts (of for_each or lines_for_each) in `sort_by` order. */
  sort: ((alerts: Alert[]) => Alert[]) | undefined;
  if: Leaf | undefined;
}

const blank: Leaf = () => '';

export function compileComponent(
  c: ComponentTemplateSource,
  path: (string | number)[],
  leaf: LeafCompiler,
  severities: SeverityLook,
): CompiledComponent {
  const at = (...rest: (string | number)[]) => [...path, ...rest];
  const button = (b: NonNullable<ComponentTemplateSource['buttons']>[number], p: (string | number)[]) => ({
    // Labels are plain text (they never render markdown); urls are checked when fitted.
    label: leaf(b.label, [...p, 'label'], false, LIMITS.buttonLabel) ?? blank,
    url: leaf(b.url, [...p, 'url'], false) ?? blank,
    if: leaf(b.if, [...p, 'if'], false),
  });
  const node = ((): CompiledNode => {
    if (c.container) {
      const { accent_color, spoiler, components } = c.container;
      return {
        kind: 'container',
        accent: leaf(accent_color, at('container', 'accent_color'), false),
        spoiler: typeof spoiler === 'string' ? leaf(spoiler, at('container', 'spoiler'), false) : spoiler,
        children: components.map((x, i) => compileComponent(x, at('container', 'components', i), leaf, severities)),
      };
    }
    if (c.text !== undefined)
      return { kind: 'text', text: leaf(c.text, at('text'), true, LIMITS.textDisplay) ?? blank };
    if (c.lines_for_each !== undefined) {
      return {
        kind: 'lines',
        scope: c.lines_for_each,
        line: leaf(c.line, at('line'), true, LIMITS.textDisplay) ?? blank,
      };
    }
    if (c.section) {
      return {
        kind: 'section',
        texts: c.section.texts.map((t, i) => leaf(t, at('section', 'texts', i), true, LIMITS.textDisplay) ?? blank),
        button: button(c.section.button, at('section', 'button')),
      };
    }
    if (c.buttons) return { kind: 'buttons', buttons: c.buttons.map((b, i) => button(b, at('buttons', i))) };
    const s = c.separator ?? {};
    return {
      kind: 'separator',
      divider: s.divider,
      spacing: s.spacing === undefined ? undefined : s.spacing === 'large' ? 2 : 1,
    };
  })();
  return {
    node,
    forEach: c.for_each,
    sort: alertSorter(c.sort_by, severities),
    if: leaf(c.if, at('if'), false),
  };
}
