import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load.js';
import { withTemplates } from '../../../src/config/load-runtime.js';

const resolved = (raw: Record<string, unknown>) => {
  const r = resolveConfig({ routes: [{ targets: ['a'] }], ...raw }, {}, 'test');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
};

describe('template names checked at load', () => {
  it('rejects an unknown template wherever the config names one, with its path', () => {
    const result = withTemplates(
      resolved({
        delivery: { digest_template: 'compcat' },
        targets: { a: { dry_run: true, template: 'defualt', digest: { template: 'nope' } } },
      }),
      Date.now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      'delivery.digest_template',
      'targets.a.template',
      'targets.a.digest.template',
    ]);
    expect(result.problems[0]!.message).toMatch(/^unknown template "compcat" \(known: .*compact/);
  });

  it('accepts known names, and builds the severity model of the config with it', () => {
    const result = withTemplates(
      resolved({
        severities: { page: { priority: 'critical', color: '#ff0000', emoji: '📟' } },
        targets: { a: { dry_run: true, template: 'compact', digest: { template: 'default' } } },
      }),
      Date.now,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.runtime.severities.priority('page')).toBe('critical');
    expect(result.runtime.severities.look('page').color).toBe(0xff0000);
  });
});
