import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load.js';
import { createSeverityModel, priorityRank } from '../../../src/shared/severity.js';

describe('severity model', () => {
  it('maps the default severities to priority, colour and emoji', () => {
    const m = createSeverityModel();
    expect(m.priority('critical')).toBe('critical');
    expect(m.priority('CRITICAL')).toBe('critical');
    expect(m.priority('info')).toBe('low');
    expect(m.priority(undefined)).toBe('normal');
    expect(m.look('critical')).toMatchObject({ color: 0xe74c3c });
    expect(m.look('critical', 'resolved')).toMatchObject({ color: 0x2ecc71 });
    expect(priorityRank('critical')).toBeGreaterThan(priorityRank('high'));
    expect(priorityRank('normal')).toBeGreaterThan(priorityRank('low'));
  });

  it('takes overrides and new severities from the config', () => {
    const r = resolveConfig(
      {
        severities: {
          page: { priority: 'critical', color: '#ff00ff', emoji: '📟' },
          info: { priority: 'normal', color: 1, emoji: 'i' },
        },
        targets: { a: { dry_run: true } },
        routes: [{ targets: ['a'] }],
      },
      {},
      't',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const m = createSeverityModel(r.config.severities);
    expect(m.style('page')).toEqual({ priority: 'critical', color: 0xff00ff, emoji: '📟' });
    expect(m.priority('info')).toBe('normal');
    expect(m.priority('warning')).toBe('normal');
  });

  it('reports a bad colour or priority with its path', () => {
    const r = resolveConfig(
      {
        severities: { x: { priority: 'urgent', color: 'red', emoji: '' } },
        targets: { a: { dry_run: true } },
        routes: [{ targets: ['a'] }],
      },
      {},
      't',
    );
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['severities.x.priority', 'severities.x.color']),
    );
  });
});
