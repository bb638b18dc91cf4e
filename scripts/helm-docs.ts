/**
 * The chart's values table, generated from the `# --` comments of values.yaml (the helm-docs
 * convention): `npm run helm:docs` rewrites it in helm/alertcord/README.md, and a test checks
 * that the README is current and that every value is documented.
 *
 * A key with a `# --` comment is one row (its whole value is the default). A mapping whose keys
 * carry comments is walked instead, and then every key in it needs one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

export const CHART_DIR = resolve(import.meta.dirname, '../helm/alertcord');
const START = '<!-- values:start -->';
const END = '<!-- values:end -->';

interface KeyLine {
  path: string[];
  indent: number;
  doc: string | undefined;
  children: KeyLine[];
}

export interface ValuesDoc {
  rows: { key: string; type: string; default: string; description: string }[];
  undocumented: string[];
}

function keyLines(text: string): KeyLine[] {
  const roots: KeyLine[] = [];
  const stack: KeyLine[] = [];
  let comment: string[] | undefined;
  // Keys inside a sequence's items are part of one value, not values of their own.
  let sequenceIndent: number | undefined;
  for (const line of text.split('\n')) {
    const commentLine = /^\s*#\s?(.*)$/.exec(line);
    if (commentLine) {
      const body = commentLine[1] ?? '';
      if (body.startsWith('-- ')) comment = [body.slice(3)];
      else comment?.push(body);
      continue;
    }
    const item = /^(\s*)-(\s|$)/.exec(line);
    if (item) {
      sequenceIndent ??= item[1]!.length;
      comment = undefined;
      continue;
    }
    const keyLine = /^(\s*)([A-Za-z0-9_.-]+):(\s|$)/.exec(line);
    if (!keyLine || (sequenceIndent !== undefined && keyLine[1]!.length > sequenceIndent)) {
      comment = undefined;
      continue;
    }
    sequenceIndent = undefined;
    const indent = keyLine[1]!.length;
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    const parent = stack.at(-1);
    const node: KeyLine = {
      path: [...(parent?.path ?? []), keyLine[2]!],
      indent,
      doc: comment?.join(' ').trim(),
      children: [],
    };
    (parent?.children ?? roots).push(node);
    stack.push(node);
    comment = undefined;
  }
  return roots;
}

const typeOf = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'list'
      : typeof v === 'object'
        ? 'object'
        : Number.isInteger(v)
          ? 'int'
          : typeof v === 'boolean'
            ? 'bool'
            : typeof v;
const hasDocs = (node: KeyLine): boolean => node.children.some((c) => c.doc !== undefined || hasDocs(c));
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function valuesDoc(text: string): ValuesDoc {
  const values = parse(text) as Record<string, unknown>;
  const at = (path: string[]) => path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], values);
  const doc: ValuesDoc = { rows: [], undocumented: [] };
  const walk = (nodes: KeyLine[]) => {
    for (const node of nodes) {
      const value = at(node.path);
      if (node.doc !== undefined) {
        // helm-docs' form for a type the default cannot show: "# -- (int) description".
        const typed = /^\(([^)]+)\)\s*(.*)$/.exec(node.doc);
        doc.rows.push({
          key: node.path.join('.'),
          type: typed?.[1] ?? typeOf(value),
          default: `\`${cell(JSON.stringify(value))}\``,
          description: cell(typed?.[2] ?? node.doc),
        });
      }
      if (hasDocs(node)) walk(node.children);
      else if (node.doc === undefined) doc.undocumented.push(node.path.join('.'));
    }
  };
  walk(keyLines(text));
  return doc;
}

export function valuesTable(doc: ValuesDoc): string {
  const lines = ['| Key | Type | Default | Description |', '|-----|------|---------|-------------|'];
  for (const r of doc.rows) lines.push(`| \`${r.key}\` | ${r.type} | ${r.default} | ${r.description} |`);
  return lines.join('\n');
}

/** The README with its values table replaced by the one values.yaml gives. */
export function withValuesTable(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README needs ${START} and ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] === import.meta.filename) {
  const doc = valuesDoc(readFileSync(`${CHART_DIR}/values.yaml`, 'utf8'));
  if (doc.undocumented.length > 0) {
    process.stderr.write(`values without a "# --" comment: ${doc.undocumented.join(', ')}\n`);
    process.exit(1);
  }
  const readmePath = `${CHART_DIR}/README.md`;
  writeFileSync(readmePath, withValuesTable(readFileSync(readmePath, 'utf8'), valuesTable(doc)));
  process.stdout.write(`${readmePath}: ${doc.rows.length} values\n`);
}
