import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART_DIR, valuesDoc, valuesTable, withValuesTable } from '../../scripts/helm-docs.js';

/* values.yaml, values.schema.json and the README's values table say the same thing. */
const valuesText = readFileSync(`${CHART_DIR}/values.yaml`, 'utf8');
const values = parse(valuesText) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(`${CHART_DIR}/values.schema.json`, 'utf8')) as JsonSchema;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
}

/** Keys of values.yaml that the schema's closed objects lack, and required keys values.yaml lacks. */
function mismatches(value: unknown, s: JsonSchema, path: string): string[] {
  if (!s.properties || s.additionalProperties !== false) return [];
  const inValues = Object.keys(value as object);
  const inSchema = Object.keys(s.properties);
  return [
    ...inValues.filter((k) => !inSchema.includes(k)).map((k) => `${path}${k}: not in values.schema.json`),
    ...(s.required ?? []).filter((k) => !inValues.includes(k)).map((k) => `${path}${k}: not in values.yaml`),
    ...inValues
      .filter((k) => inSchema.includes(k))
      .flatMap((k) => mismatches((value as Record<string, unknown>)[k], s.properties![k]!, `${path}${k}.`)),
  ];
}

describe('chart values documentation', () => {
  it('every value has a "# --" comment', () => {
    const doc = valuesDoc(valuesText);
    expect(doc.undocumented).toEqual([]);
    expect(doc.rows.length).toBeGreaterThan(50);
  });

  it('the generator finds an undocumented value', () => {
    expect(valuesDoc('# -- documented\na: 1\nb:\n  # -- documented\n  c: 2\n  d: 3\n').undocumented).toEqual(['b.d']);
  });

  it('the README values table is the one values.yaml gives (npm run helm:docs rewrites it)', () => {
    const readme = readFileSync(`${CHART_DIR}/README.md`, 'utf8');
    expect(readme).toBe(withValuesTable(readme, valuesTable(valuesDoc(valuesText))));
  });

  it('values.yaml has every key values.schema.json requires, and no key it does not know', () => {
    expect(mismatches(values, schema, '')).toEqual([]);
  });
});
