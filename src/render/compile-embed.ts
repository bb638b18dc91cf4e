import type { Alert } from '../alertmanager/payload.js';
import { LIMITS } from '../discord/limits.js';
import type { Leaf } from './compile-leaf.js';
import { DIGEST_HEADER_MAX } from './pack-lines.js';
import type { SeverityLook } from './severity-look.js';
import { alertSorter } from './sort-alerts.js';
import type { EmbedTemplateSource, FieldTemplateSource } from './template-schema.js';

export type AlertScope = NonNullable<EmbedTemplateSource['for_each']>;

export interface CompiledField {
  name: Leaf;
  value: Leaf;
  inline: Leaf | boolean | undefined;
  if: Leaf | undefined;
}

export interface CompiledEmbed {
  forEach: AlertScope | undefined;
  /** A digest: one rendered line per alert of the scope; `leaves.description` is its header. */
  lines: { scope: AlertScope; line: Leaf } | undefined;
  /** Puts the scope's alerts in the template's `sort_by` order. */
  sort: ((alerts: Alert[]) => Alert[]) | undefined;
  if: Leaf | undefined;
  leaves: Partial<Record<'title' | 'description' | 'url' | 'color' | 'timestamp', Leaf>>;
  author: { name: Leaf; url?: Leaf | undefined; icon_url?: Leaf | undefined } | undefined;
  footer: { text: Leaf; icon_url?: Leaf | undefined } | undefined;
  thumbnail: Leaf | undefined;
  image: Leaf | undefined;
  fields: CompiledField[];
}

/** Compiles one leaf; `undefined` when absent or broken (the problem is recorded by the caller). */
export type LeafCompiler = (
  source: string | undefined,
  path: (string | number)[],
  markdown: boolean,
  capacity?: number,
) => Leaf | undefined;

// What each text of an embed can show: its values are cut to it before they are escaped.
const CAPACITY = {
  title: LIMITS.title,
  description: LIMITS.description,
  url: undefined,
  color: undefined,
  timestamp: undefined,
} as const;

const blank: Leaf = () => '';
const required = (l: Leaf | undefined): Leaf => l ?? blank;
const optional = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function compileEmbed(
  e: EmbedTemplateSource,
  path: (string | number)[],
  leaf: LeafCompiler,
  severities: SeverityLook,
): CompiledEmbed {
  const at = (...rest: (string | number)[]) => [...path, ...rest];
  const leaves: CompiledEmbed['leaves'] = {};
  for (const key of ['title', 'description', 'url', 'color', 'timestamp'] as const) {
    const l = leaf(e[key], at(key), key === 'title' || key === 'description', CAPACITY[key]);
    if (l) leaves[key] = l;
  }
  // A digest's header goes where a description would: above its lines.
  const header = leaf(e.header, at('header'), true, DIGEST_HEADER_MAX);
  if (header) leaves.description = header;
  // A line longer than a description is cut to a page anyway.
  const line = leaf(e.line, at('line'), true, LIMITS.description);
  return {
    forEach: e.for_each,
    lines: e.lines_for_each && line ? { scope: e.lines_for_each, line } : undefined,
    sort: alertSorter(e.sort_by, severities),
    if: leaf(e.if, at('if'), false),
    leaves,
    author: e.author
      ? optional({
          name: required(leaf(e.author.name, at('author', 'name'), false, LIMITS.authorName)),
          url: leaf(e.author.url, at('author', 'url'), false),
          icon_url: leaf(e.author.icon_url, at('author', 'icon_url'), false),
        })
      : undefined,
    footer: e.footer
      ? optional({
          text: required(leaf(e.footer.text, at('footer', 'text'), false, LIMITS.footerText)),
          icon_url: leaf(e.footer.icon_url, at('footer', 'icon_url'), false),
        })
      : undefined,
    thumbnail: e.thumbnail ? leaf(e.thumbnail.url, at('thumbnail', 'url'), false) : undefined,
    image: e.image ? leaf(e.image.url, at('image', 'url'), false) : undefined,
    fields: (e.fields ?? []).map((f: FieldTemplateSource, j) => ({
      name: required(leaf(f.name, at('fields', j, 'name'), true, LIMITS.fieldName)),
      value: required(leaf(f.value, at('fields', j, 'value'), true, LIMITS.fieldValue)),
      inline: typeof f.inline === 'string' ? leaf(f.inline, at('fields', j, 'inline'), false) : f.inline,
      if: leaf(f.if, at('fields', j, 'if'), false),
    })),
  };
}
