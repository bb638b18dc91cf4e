import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema } from '../../../src/config/json-schema.js';

describe('config.schema.json', () => {
  const committed = JSON.parse(readFileSync('config.schema.json', 'utf8')) as Record<string, unknown>;

  it('is up to date with the zod schema (run `npm run schema` after changing it)', () => {
    expect(committed).toEqual(configJsonSchema());
  });

  it('knows every key config.example.yaml uses, and allows its comment-only sections', () => {
    const example = parse(readFileSync('config.example.yaml', 'utf8')) as Record<string, unknown>;
    const properties = committed.properties as Record<string, { type: unknown; items?: { properties: object } }>;
    for (const [key, value] of Object.entries(example)) {
      expect(properties[key], key).toBeDefined();
      if (value === null) expect(properties[key]?.type, key).toContain('null');
    }
    const routeKeys = Object.keys(properties.routes?.items?.properties ?? {});
    for (const route of example.routes as Record<string, unknown>[])
      expect(routeKeys).toEqual(expect.arrayContaining(Object.keys(route)));
  });
});
