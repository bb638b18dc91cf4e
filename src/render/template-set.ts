import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { LIMITS } from '../discord/limits.js';
import { formatPath } from '../shared/format-path.js';
import { compileComponent, type CompiledComponent } from './compile-components.js';
import { compileEmbed, type CompiledEmbed } from './compile-embed.js';
import { markdownPartialName, type Leaf } from './compile-leaf.js';
import { TemplateSyntaxError } from './handlebars-errors.js';
import { childEnv, compileLeaf, createTemplateEnv } from './handlebars-env.js';
import type { HelperEnv } from './helpers.js';
import { defaultSeverityLook, type SeverityLook } from './severity-look.js';
import { messageTemplateSchema, type MessageTemplateSource } from './template-schema.js';
import { parsePositionedYaml, type LeafPosition, type PositionedYaml } from './yaml-positions.js';

/** The shipped templates: `templates/` at the package root, beside `dist/` and `src/`. */
export const SHIPPED_TEMPLATES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../templates');

export interface CompiledTemplate {
  name: string;
  file: string;
  content: Leaf | undefined;
  username: Leaf | undefined;
  avatarUrl: Leaf | undefined;
  threadName: Leaf | undefined;
  embeds: CompiledEmbed[];
  /** A Components V2 template: its messages carry these instead of embeds. */
  components: CompiledComponent[] | undefined;
  /** The template this one's messages are rendered with in a storm, unless the target names one. */
  stormTemplate: string | undefined;
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

function formatTemplateProblem(p: TemplateProblem): string {
  const where = p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : '';
  return `${p.file}${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export interface TemplateSet {
  get(name: string): CompiledTemplate | undefined;
  names(): string[];
  /** The shipped `default`, even when a user file replaces it: what a failing template falls back to. */
  fallback: CompiledTemplate;
  /**
   * The shipped `cards`, likewise: what a failing Components V2 template falls back to, since a
   * V2 message can never drop its flag (an edit of it as embeds would be refused).
   */
  componentsFallback: CompiledTemplate;
}

export const FALLBACK_TEMPLATE = 'default';
export const COMPONENTS_FALLBACK_TEMPLATE = 'cards';

/**
 * Loads shipped templates, then the user's directory on top (same name overrides).
 * Partials: `partials/*.hbs` in either directory, shared by all templates.
 */
export function loadTemplateSet(env: HelperEnv, userDir?: string): TemplateSet {
  const dirs = [SHIPPED_TEMPLATES_DIR, ...(userDir ? [resolve(userDir)] : [])];
  const problems: TemplateProblem[] = [];
  const { hb, helperNames } = createTemplateEnv(env);
  const severities = env.severities ?? defaultSeverityLook;

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
      hb.registerPartial(name, compileLeaf(hb, source, helperNames, partialNames, false).partial);
      hb.registerPartial(markdownPartialName(name), compileLeaf(hb, source, helperNames, partialNames, true).partial);
    } catch (err) {
      problems.push(problemFrom(err, file, '', { line: 1, column: 1, block: true }));
    }
  }

  const templates = new Map<string, CompiledTemplate>();
  for (const [name, file] of templateFiles) {
    const compiled = compileTemplateFile(hb, name, file, helperNames, partialNames, severities, problems);
    if (compiled) templates.set(name, compiled);
  }
  // The shipped one, even when a user file of the same name replaces it.
  const shipped = (name: string) => {
    const file = join(SHIPPED_TEMPLATES_DIR, `${name}.yaml`);
    return templateFiles.get(name) === file
      ? templates.get(name)
      : compileTemplateFile(hb, name, file, helperNames, partialNames, severities, problems);
  };
  const fallback = shipped(FALLBACK_TEMPLATE);
  const componentsFallback = shipped(COMPONENTS_FALLBACK_TEMPLATE);
  if (problems.length > 0 || !fallback || !componentsFallback) throw new TemplateLoadError(problems);
  return { get: (n) => templates.get(n), names: () => [...templates.keys()].sort(), fallback, componentsFallback };
}

function problemFrom(err: unknown, file: string, path: string, at: LeafPosition | undefined): TemplateProblem {
  if (!(err instanceof TemplateSyntaxError)) {
    return { file, path, line: at?.line, column: undefined, message: (err as Error).message };
  }
  // Positions inside the leaf, moved to the file: a block scalar keeps its lines and indentation.
  const line = err.line !== undefined && at ? at.line + err.line - 1 : err.line;
  const column =
    err.column !== undefined && at && (at.block || err.line === 1) ? at.column + err.column - 1 : err.column;
  return { file, path, line, column, message: err.message };
}

function compileTemplateFile(
  hb: typeof Handlebars,
  name: string,
  file: string,
  helpers: ReadonlySet<string>,
  sharedPartials: ReadonlySet<string>,
  severities: SeverityLook,
  problems: TemplateProblem[],
): CompiledTemplate | undefined {
  const text = readFileSync(file, 'utf8');
  let doc: PositionedYaml;
  try {
    doc = parsePositionedYaml(text);
  } catch (err) {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    problems.push({
      file,
      path: '',
      line: pos?.line,
      column: pos?.col,
      message: `invalid YAML: ${(err as Error).message.split('\n')[0]}`,
    });
    return undefined;
  }
  const parsed = messageTemplateSchema.safeParse(doc.value);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const pos = doc.positionOf(i.path);
      problems.push({ file, path: formatPath(i.path), line: pos?.line, column: pos?.column, message: i.message });
    }
    return undefined;
  }
  const src: MessageTemplateSource = parsed.data;
  // Template-local partials shadow shared ones; compile them in a child environment.
  const localHb = src.partials ? childEnv(hb) : hb;
  const partials = new Set([...sharedPartials, ...Object.keys(src.partials ?? {})]);
  const before = problems.length;
  const compile = (source: string | undefined, path: (string | number)[], markdown: boolean, capacity?: number) => {
    if (source === undefined) return undefined;
    try {
      return compileLeaf(localHb, source, helpers, partials, markdown, capacity);
    } catch (err) {
      problems.push(problemFrom(err, file, formatPath(path), doc.positionOf(path)));
      return undefined;
    }
  };
  const leaf = (
    source: string | undefined,
    path: (string | number)[],
    markdown: boolean,
    capacity?: number,
  ): Leaf | undefined => compile(source, path, markdown, capacity)?.leaf;
  for (const [pname, psrc] of Object.entries(src.partials ?? {})) {
    const compiled = compile(psrc, ['partials', pname], false);
    if (!compiled) continue;
    localHb.registerPartial(pname, compiled.partial);
    const markdown = compile(psrc, ['partials', pname], true);
    if (markdown) localHb.registerPartial(markdownPartialName(pname), markdown.partial);
  }
  const embeds = src.embeds.map((e, i) => compileEmbed(e, ['embeds', i], leaf, severities));
  const compiled: CompiledTemplate = {
    name,
    file,
    content: leaf(src.content, ['content'], true, LIMITS.content),
    username: leaf(src.username, ['username'], false, LIMITS.username),
    avatarUrl: leaf(src.avatar_url, ['avatar_url'], false),
    threadName: leaf(src.thread_name, ['thread_name'], false, LIMITS.threadName),
    embeds,
    components: src.components?.map((c, i) => compileComponent(c, ['components', i], leaf, severities)),
    stormTemplate: src.storm_template,
  };
  return problems.length === before ? compiled : undefined;
}
