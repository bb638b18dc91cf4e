import { describe, expect, it } from 'vitest';
import { routeLabel } from '../../../src/server/route-label.js';

describe('routeLabel', () => {
  it.each([
    ['/alerts', '/alerts'],
    ['/alerts/payments', '/alerts/:path'],
    ['/healthz', '/healthz'],
    ['/metrics', '/metrics'],
    ['/api/v1/dead-letters', '/api/v1/dead-letters'],
    ['/api/v1/render', '/api/v1/render'],
    ['/api/v1/made-up', '/api/other'],
    ['/api/v2/status', '/api/other'],
    ['/ui', '/ui'],
    ['/ui/app.js', '/ui'],
    ['/wp-login.php', 'other'],
    ['/metrics/../etc', 'other'],
  ])('%s → %s', (path, label) => {
    expect(routeLabel(path)).toBe(label);
  });

  it('maps any number of distinct paths onto a handful of labels', () => {
    const labels = new Set(Array.from({ length: 1000 }, (_, i) => routeLabel(`/${i.toString(36)}/${i}`)));
    const api = new Set(Array.from({ length: 1000 }, (_, i) => routeLabel(`/api/v1/x${i}`)));
    expect([...labels, ...api]).toEqual(['other', '/api/other']);
  });
});
