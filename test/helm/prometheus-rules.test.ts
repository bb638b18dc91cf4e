import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { NAMESPACE, RELEASE, one, render, skipHelm, variantFile } from '../support/helm.js';

/*
 * The chart's PrometheusRule, checked by Prometheus' own promtool: the rules parse (expressions
 * and annotation templates), and on synthetic series each alert fires when alertcord is in
 * trouble and stays quiet when it is healthy.
 */
const promtoolAvailable = spawnSync('promtool', ['--version']).status === 0;
const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

interface Rule {
  alert: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
type Groups = { name: string; rules: Rule[] }[];

const dir = mkdtempSync(join(tmpdir(), 'alertcord-rules-'));
const promtool = (args: string[]) => spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
const groups = (variant: string) =>
  (one(render({ valuesFiles: [variantFile(variant)] }), 'PrometheusRule').spec as { groups: Groups }).groups;

const at = (labels: Record<string, string> = {}) => {
  const all = { job: RELEASE, namespace: NAMESPACE, ...labels };
  return `{${Object.entries(all)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
};
const series = (name: string, labels: Record<string, string>, values: string) => ({
  series: `${name}${at(labels)}`,
  values,
});

/** Series of an alertcord in trouble, and the alerts they must raise 10 minutes in. */
const TROUBLE = {
  input_series: [
    series('up', { pod: 'a' }, '0x10'),
    series('alertcord_dead_letters_total', { pod: 'a', reason: 'webhook_gone' }, '0 0 3x9'),
    series('alertcord_breaker_state', { pod: 'a', webhook_id: '123' }, '1x10'),
    series('alertcord_queue_oldest_seconds', { pod: 'a' }, '400x10'),
    // Replicas behind one egress IP share Discord's ban threshold: 3,000 + 3,000 is over 5,000.
    series('alertcord_invalid_requests_10m', { pod: 'a' }, '3000x10'),
    series('alertcord_invalid_requests_10m', { pod: 'b' }, '3000x10'),
    series('alertcord_config_last_reload_success', { pod: 'a' }, '0x10'),
  ],
  expected: {
    AlertcordDown: { severity: 'critical' },
    AlertcordDeadLetters: { severity: 'warning', job: RELEASE, namespace: NAMESPACE, reason: 'webhook_gone' },
    AlertcordBreakerOpen: { severity: 'warning', job: RELEASE, namespace: NAMESPACE, webhook_id: '123' },
    AlertcordQueueBacklog: { severity: 'warning', job: RELEASE, namespace: NAMESPACE, pod: 'a' },
    AlertcordInvalidRequestsHigh: { severity: 'critical', job: RELEASE, namespace: NAMESPACE },
    AlertcordConfigReloadFailed: { severity: 'warning', job: RELEASE, namespace: NAMESPACE, pod: 'a' },
  } as Record<string, Record<string, string>>,
};

/** With Redis: standbys and no dispatcher, a long stream, a lease changing hands every minute. */
const HA_TROUBLE = {
  input_series: [
    ...TROUBLE.input_series,
    series('alertcord_cluster_role', { pod: 'a', role: 'standby' }, '1x10'),
    series('alertcord_cluster_role', { pod: 'a', role: 'dispatcher' }, '0x10'),
    series('alertcord_cluster_role', { pod: 'b', role: 'standby' }, '1x10'),
    series('alertcord_stream_length', { pod: 'a' }, '5000x10'),
    series('alertcord_stream_length', { pod: 'b' }, '5000x10'),
    series('alertcord_lease_changes_total', { pod: 'a' }, '0+1x10'),
  ],
  expected: {
    ...TROUBLE.expected,
    AlertcordNoDispatcher: { severity: 'critical', job: RELEASE, namespace: NAMESPACE },
    AlertcordStreamLag: { severity: 'warning', job: RELEASE, namespace: NAMESPACE },
    AlertcordLeaseFlapping: { severity: 'warning', job: RELEASE, namespace: NAMESPACE },
  } as Record<string, Record<string, string>>,
};

const HEALTHY = [
  series('up', { pod: 'a' }, '1x10'),
  series('alertcord_dead_letters_total', { pod: 'a', reason: 'webhook_gone' }, '2x10'),
  series('alertcord_breaker_state', { pod: 'a', webhook_id: '123' }, '0x10'),
  series('alertcord_queue_oldest_seconds', { pod: 'a' }, '3x10'),
  series('alertcord_invalid_requests_10m', { pod: 'a' }, '40x10'),
  series('alertcord_config_last_reload_success', { pod: 'a' }, '1x10'),
];

/** One dispatcher and a standby, a short stream, one lease change long ago. */
const HA_HEALTHY = [
  ...HEALTHY,
  series('alertcord_cluster_role', { pod: 'a', role: 'dispatcher' }, '1x10'),
  series('alertcord_cluster_role', { pod: 'a', role: 'standby' }, '0x10'),
  series('alertcord_cluster_role', { pod: 'b', role: 'standby' }, '1x10'),
  series('alertcord_cluster_role', { pod: 'b', role: 'dispatcher' }, '0x10'),
  series('alertcord_stream_length', { pod: 'a' }, '12x10'),
  series('alertcord_lease_changes_total', { pod: 'a' }, '1x10'),
];

/** Each variant with its rule count, trouble and healthy series: without Redis, and with it. */
const CASES = [
  ['monitoring', { rules: 6, trouble: TROUBLE, healthy: HEALTHY }],
  ['ha', { rules: 9, trouble: HA_TROUBLE, healthy: HA_HEALTHY }],
] as const;

describe.skipIf(skipHelm || (!promtoolAvailable && !inCI))('PrometheusRule, checked by promtool', () => {
  it.each(CASES)('ci/%s-values.yaml: the rules file passes promtool check rules', (variant, { rules }) => {
    expect(promtoolAvailable, 'promtool missing: CI installs the Debian package prometheus').toBe(true);
    writeFileSync(join(dir, `${variant}-rules.yaml`), stringify({ groups: groups(variant) }));
    const r = promtool(['check', 'rules', `${variant}-rules.yaml`]);
    expect(r.stdout + r.stderr).toContain(`SUCCESS: ${rules} rules found`);
    expect(r.status).toBe(0);
  });

  it.each(CASES)(
    'ci/%s-values.yaml: each alert fires on its trouble and stays quiet on a healthy alertcord',
    (variant, { trouble, healthy }) => {
      // Annotations are checked by promtool check rules above; here only which alerts fire.
      const bare = groups(variant).map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...rule }) => rule) }));
      const alerts = bare.flatMap((g) => g.rules.map((r) => r.alert));
      expect(alerts.sort()).toEqual(Object.keys(trouble.expected).sort());
      writeFileSync(join(dir, `${variant}-bare-rules.yaml`), stringify({ groups: bare }));
      const team = { team: 'platform' }; // alertLabels of both variants
      writeFileSync(
        join(dir, `${variant}-tests.yaml`),
        stringify({
          rule_files: [`${variant}-bare-rules.yaml`],
          evaluation_interval: '1m',
          tests: [
            {
              interval: '1m',
              input_series: trouble.input_series,
              alert_rule_test: alerts.map((alertname) => ({
                eval_time: '10m',
                alertname,
                exp_alerts: [{ exp_labels: { ...(trouble.expected[alertname] as Record<string, string>), ...team } }],
              })),
            },
            {
              interval: '1m',
              input_series: healthy,
              alert_rule_test: alerts.map((alertname) => ({ eval_time: '10m', alertname, exp_alerts: [] })),
            },
          ],
        }),
      );
      const r = promtool(['test', 'rules', `${variant}-tests.yaml`]);
      expect(r.stdout + r.stderr).toContain('SUCCESS');
      expect(r.status).toBe(0);
    },
  );
});
