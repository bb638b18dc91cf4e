import type { Alert, Notification } from '../../../src/alertmanager/payload.js';
import { resolveConfig } from '../../../src/config/load.js';
import type { ConfigInput } from '../../../src/config/schema.js';

/** A config whose targets (unless given) are dry-run targets named after the routes' targets. */
export function config(routes: ConfigInput['routes'], targets: ConfigInput['targets'] = {}) {
  const names = new Set(
    routes.flatMap((r) => [...r.targets, ...(r.escalation?.steps.flatMap((s) => s.targets) ?? [])]),
  );
  const all = { ...Object.fromEntries([...names].map((n) => [n, { dry_run: true }])), ...targets };
  const r = resolveConfig({ targets: all, routes }, {}, 'test');
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
}

let serial = 0;
export function alert(labels: Record<string, string>, status: 'firing' | 'resolved' = 'firing'): Alert {
  serial += 1;
  return {
    status,
    labels: { alertname: 'Test', ...labels },
    annotations: {},
    startsAt: '2026-03-02T10:00:00Z',
    generatorURL: '',
    fingerprint: `fp${serial}`,
  };
}

export function notification(alerts: Alert[], receiver = 'am'): Notification {
  return {
    version: '4',
    groupKey: '{}:{alertname="Test"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels: { alertname: 'Test' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://am',
    alerts,
  };
}
