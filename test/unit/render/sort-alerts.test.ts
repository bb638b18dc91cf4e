import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSeverityModel } from '../../../src/shared/severity.js';
import { highestSeverity } from '../../../src/render/sort-alerts.js';

const model = createSeverityModel(undefined);

describe('highestSeverity', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names the most urgent severity in one pass, without sorting a big group', () => {
    const alerts = Array.from({ length: 5000 }, (_, i) => ({
      labels: { severity: i === 4321 ? 'critical' : i % 2 ? 'warning' : 'info' },
    }));
    const sort = vi.spyOn(Array.prototype, 'sort');
    expect(highestSeverity(alerts, model)).toBe('critical');
    expect(sort).not.toHaveBeenCalled();
  });

  it('is "" for no alerts, and the first of equals for unknown severities', () => {
    expect(highestSeverity([], model)).toBe('');
    expect(highestSeverity([{ labels: { severity: 'weird' } }, { labels: {} }], model)).toBe('weird');
  });
});
