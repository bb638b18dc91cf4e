/**
 * The README is a front door and docs/ holds the depth: what each promises to cover is checked
 * here, so facts cannot get lost when text moves between them.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { createMetrics } from '../../../src/metrics/metrics.js';

const README = 'README.md';
const DOCS = readdirSync('docs')
  .filter((f) => f.endsWith('.md'))
  .map((f) => join('docs', f));
const read = (file: string): string => readFileSync(file, 'utf8');

/** Table rows whose first cell is a code span: [that name, the other cells]. */
function tableRows(text: string): [string, string[]][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const [first = '', ...rest] = l.slice(2, -2).split(' | ');
      return [first.replace(/^`|`$/g, ''), rest];
    });
}

describe('the README', () => {
  it('stays a front door: 300 lines at most', () => {
    expect(read(README).split('\n').length).toBeLessThanOrEqual(300);
  });

  it('names every top-level config key in its settings table', () => {
    const listed = new Set(tableRows(read(README)).map(([key]) => key));
    expect(Object.keys(configSchema.shape).filter((k) => !listed.has(k))).toEqual([]);
  });
});

describe('docs/', () => {
  it('has an index that links every page', () => {
    const index = read('docs/README.md');
    const pages = DOCS.filter((f) => f !== 'docs/README.md').map((f) => f.slice('docs/'.length));
    expect(pages.filter((p) => !index.includes(`](${p})`))).toEqual([]);
  });

  it('documents every metric with its labels in operations.md', () => {
    const rows = new Map(tableRows(read('docs/operations.md')));
    // prom-client keeps labelNames on each metric; its typings leave them out.
    const ours = createMetrics()
      .registry.getMetricsAsArray()
      .map((m) => m as typeof m & { labelNames?: readonly string[] })
      .filter((m) => !/^alertcord_(process|nodejs)_/.test(m.name));
    expect(ours.length).toBeGreaterThan(0);
    const missing = ours.flatMap((m) => {
      const cells = rows.get(m.name);
      if (!cells) return [m.name];
      return (m.labelNames ?? []).filter((l) => !cells[0]?.includes(`\`${l}\``)).map((l) => `${m.name}{${l}}`);
    });
    expect(missing).toEqual([]);
  });
});

describe('README and docs/', () => {
  const files = [README, ...DOCS];

  it('link only to files that exist', () => {
    const broken = files.flatMap((file) =>
      [...read(file).matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1] ?? '')
        .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
        .map((target) => target.split('#')[0] ?? '')
        .filter((path) => !existsSync(join(dirname(file), path)))
        .map((path) => `${file}: ${path}`),
    );
    expect(broken).toEqual([]);
  });

  it('give users commands on the shipped samples/, never on test/fixtures/', () => {
    const blocks = files.flatMap((file) =>
      [...read(file).matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)]
        .map((m) => m[1] ?? '')
        .filter((code) => code.includes('test/fixtures/'))
        .map((code) => `${file}: ${code.trim().split('\n')[0]}`),
    );
    expect(blocks).toEqual([]);
  });
});
