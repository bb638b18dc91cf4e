import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { LineCounter, isNode, isScalar, parseDocument as parseYamlDocument } from 'yaml';
import { formatPath } from '../shared/format-path.js';
import { ESCAPE_HELPER_NAME, TemplateSyntaxError, parseLeaf, type Leaf } from './compile-leaf.js';
import { escapeMarkdown } from './markdown.js';
import { createHelpers, type HelperEnv } from './helpers.js';
import {
  messageTemplateSchema,
  type EmbedTemplateSource,
  type FieldTemplateSource,
  type MessageTemplateSource,
} from './template-schema.js';

/** The shipped templates: `templates/` at the package root, beside `dist/` and `src/`. */
export const SHIPPED_TEMPLATES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../templates');

export interface CompiledField {
  name: Leaf;
  value: Leaf;
  inline: Leaf | boolean | undefined;
  if: Leaf | undefined;
}

export interface CompiledEmbed {
  forEach: EmbedTemplateSource['for_each'];
  if: Leaf | undefined;
  leaves: Partial<Record<'title' | 'description' | 'url' | 'color' | 'timestamp', Leaf>>;
  author: { name: Leaf; url?: Leaf; icon_url?: Leaf } | undefined;
  footer: { text: Leaf; icon_url?: Leaf } | undefined;
  thumbnail: Leaf | undefined;
  image: Leaf | undefined;
  fields: CompiledField[];
}

export interface CompiledTemplate {
  name: string;
  file: string;
  content: Leaf | undefined;
  username: Leaf | undefined;
  avatarUrl: Leaf | undefined;
  threadName: Leaf | undefined;
  embeds: CompiledEmbed[];
}

export interface TemplateProblem {
  file: string;
  path: string;
  line: number | undefined;
  column: number | undefined;
  message: string;
}

export class TemplateLoadError extends Error {
  override readonly name = 'TemplateLoadError';
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map(formatTemplateProblem).join('\n'));
  }
}

export function formatTemplateProblem(p: TemplateProblem): string {
  const where = p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : '';
  return `${p.file}${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export interface TemplateSet {
  get(name: string): CompiledTemplate | undefined;
  names(): string[];
}

/**
 * Loads shipped templates, then the user's directory on top (same name overrides).
 * Partials: `partials/*.hbs` in either directory, shared by all templates.
 */
export function loadTemplateSet(env: HelperEnv, userDir?: string): TemplateSet {
  const dirs = [SHIPPED_TEMPLATES_DIR, ...(userDir ? [resolve(userDir)] : [])];
  const problems: TemplateProblem[] = [];
  const hb = Handlebars.create();
  const helpers = createHelpers(env);
  hb.registerHelper(helpers);
  // Helpers that build markdown on purpose return SafeString, which passes through.
  hb.registerHelper(ESCAPE_HELPER_NAME, (value: unknown) =>
    value instanceof Handlebars.SafeString
      ? value.toString()
      : value === undefined || value === null
        ? ''
        : escapeMarkdown(String(value)),
  );
  const helperNames = new Set(Object.keys(helpers));

  const partialSources = new Map<string, { file: string; source: string }>();
  const templateFiles = new Map<string, string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      problems.push({
        file: dir,
        path: '',
        line: undefined,
        column: undefined,
        message: 'templates directory does not exist',
      });
      continue;
    }
    const partialDir = join(dir, 'partials');
    if (existsSync(partialDir)) {
      for (const f of readdirSync(partialDir).filter((f) => f.endsWith('.hbs'))) {
        partialSources.set(basename(f, '.hbs'), {
          file: join(partialDir, f),
          source: readFileSync(join(partialDir, f), 'utf8'),
        });
      }
    }
    for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
      templateFiles.set(basename(f, extname(f)), join(dir, f));
    }
  }

  const partialNames = new Set(partialSources.keys());
  for (const [name, { file, source }] of partialSources) {
    try {
      hb.registerPartial(name, hb.compile(parseLeaf(source, helperNames, partialNames, false), { noEscape: true }));
    } catch (err) {
      problems.push(problemFrom(err, file, ''));
    }
  }

  const templates = new Map<string, CompiledTemplate>();
  for (const [name, file] of templateFiles) {
    const compiled = compileTemplateFile(hb, name, file, helperNames, partialNames, problems);
    if (compiled) templates.set(name, compiled);
  }
  if (problems.length > 0) throw new TemplateLoadError(problems);
  return { get: (n) => templates.get(n), names: () => [...templates.keys()].sort() };
}

function problemFrom(err: unknown, file: string, path: string, lineOffset = 0): TemplateProblem {
  if (err instanceof TemplateSyntaxError) {
    return {
      file,
      path,
      line: err.line !== undefined ? err.line + lineOffset : undefined,
      column: err.column,
      message: err.message,
    };
  }
  return { file, path, line: undefined, column: undefined, message: (err as Error).message };
}

function compileTemplateFile(
  hb: typeof Handlebars,
  name: string,
  file: string,
  helpers: ReadonlySet<string>,
  sharedPartials: ReadonlySet<string>,
  problems: TemplateProblem[],
): CompiledTemplate | undefined {
  const text = readFileSync(file, 'utf8');
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text);
  } catch (err) {
    problems.push({
      file,
      path: '',
      line: undefined,
      column: undefined,
      message: `invalid YAML: ${(err as Error).message}`,
    });
    return undefined;
  }
  const parsed = messageTemplateSchema.safeParse(doc.value);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      problems.push({
        file,
        path: formatPath(i.path),
        line: doc.lineOf(i.path),
        column: undefined,
        message: i.message,
      });
    }
    return undefined;
  }
  const src: MessageTemplateSource = parsed.data;
  const local = Handlebars.create();
  // Template-local partials shadow shared ones; compile them in a child environment.
  const localHb = src.partials ? childEnv(hb, local) : hb;
  const partials = new Set([...sharedPartials, ...Object.keys(src.partials ?? {})]);
  const before = problems.length;
  const leaf = (source: string | undefined, path: (string | number)[], markdown: boolean): Leaf | undefined => {
    if (source === undefined) return undefined;
    try {
      const fn = localHb.compile(parseLeaf(source, helpers, partials, markdown), { noEscape: true });
      return (ctx) => fn(ctx, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (err) {
      problems.push(problemFrom(err, file, formatPath(path), (doc.lineOf(path) ?? 1) - 1));
      return undefined;
    }
  };
  for (const [pname, psrc] of Object.entries(src.partials ?? {})) {
    const fn = leaf(psrc, ['partials', pname], false);
    if (fn) localHb.registerPartial(pname, fn as unknown as Handlebars.Template);
  }
  const required = (l: Leaf | undefined): Leaf => l ?? (() => '');
  const embeds = src.embeds.map((e, i) => compileEmbed(e, ['embeds', i], leaf, required));
  const compiled: CompiledTemplate = {
    name,
    file,
    content: leaf(src.content, ['content'], true),
    username: leaf(src.username, ['username'], false),
    avatarUrl: leaf(src.avatar_url, ['avatar_url'], false),
    threadName: leaf(src.thread_name, ['thread_name'], false),
    embeds,
  };
  return problems.length === before ? compiled : undefined;
}

type LeafCompiler = (source: string | undefined, path: (string | number)[], markdown: boolean) => Leaf | undefined;

function compileEmbed(
  e: EmbedTemplateSource,
  path: (string | number)[],
  leaf: LeafCompiler,
  required: (l: Leaf | undefined) => Leaf,
): CompiledEmbed {
  const at = (...rest: (string | number)[]) => [...path, ...rest];
  const leaves: CompiledEmbed['leaves'] = {};
  for (const key of ['title', 'description', 'url', 'color', 'timestamp'] as const) {
    const l = leaf(e[key], at(key), key === 'title' || key === 'description');
    if (l) leaves[key] = l;
  }
  const optional = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    forEach: e.for_each,
    if: leaf(e.if, at('if'), false),
    leaves,
    author: e.author
      ? optional({
          name: required(leaf(e.author.name, at('author', 'name'), false)),
          url: leaf(e.author.url, at('author', 'url'), false),
          icon_url: leaf(e.author.icon_url, at('author', 'icon_url'), false),
        })
      : undefined,
    footer: e.footer
      ? optional({
          text: required(leaf(e.footer.text, at('footer', 'text'), false)),
          icon_url: leaf(e.footer.icon_url, at('footer', 'icon_url'), false),
        })
      : undefined,
    thumbnail: e.thumbnail ? leaf(e.thumbnail.url, at('thumbnail', 'url'), false) : undefined,
    image: e.image ? leaf(e.image.url, at('image', 'url'), false) : undefined,
    fields: (e.fields ?? []).map((f: FieldTemplateSource, j) => ({
      name: required(leaf(f.name, at('fields', j, 'name'), true)),
      value: required(leaf(f.value, at('fields', j, 'value'), true)),
      inline: typeof f.inline === 'string' ? leaf(f.inline, at('fields', j, 'inline'), false) : f.inline,
      if: leaf(f.if, at('fields', j, 'if'), false),
    })),
  };
}

/** A Handlebars environment that sees the parent's helpers and partials, plus its own partials. */
function childEnv(parent: typeof Handlebars, child: typeof Handlebars): typeof Handlebars {
  child.registerHelper(parent.helpers);
  child.registerPartial(parent.partials as Record<string, Handlebars.Template>);
  return child;
}

/** YAML with a way back from a value's path to its line, for error messages. */
function parseDocument(text: string): { value: unknown; lineOf: (path: PropertyKey[]) => number | undefined } {
  const lines = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter: lines });
  const first = doc.errors[0];
  if (first) throw first;
  return {
    value: doc.toJS(),
    lineOf: (path) => {
      for (let p = path.filter((k) => typeof k !== 'symbol'); p.length > 0; p = p.slice(0, -1)) {
        const node = doc.getIn(p, true);
        if (isNode(node) && node.range) {
          const pos = lines.linePos(node.range[0]);
          // Block scalars (|, >) start their text on the next line.
          return isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')
            ? pos.line + 1
            : pos.line;
        }
      }
      return undefined;
    },
  };
}
