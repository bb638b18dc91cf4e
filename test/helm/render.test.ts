import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helm, render, renderError, skipHelm, variantFile, variants } from '../support/helm.js';
import { schemaErrors, unknownFields } from '../support/kube-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'alertcord-helm-'));
const valuesFile = (name: string, yaml: string) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
};
const WEBHOOK = 'targets: {default: {webhookUrl: "https://discord.com/api/webhooks/1/x"}}\n';

describe.skipIf(skipHelm)('helm chart: lint, render, Kubernetes API schemas', () => {
  it('has a CI variant for each feature the chart offers', () => {
    expect(variants()).toEqual([
      'default',
      'existing-secret',
      'ha',
      'monitoring',
      'networkpolicy',
      'open',
      'replicas',
      'user-templates',
    ]);
  });

  it.each(variants())('helm lint --strict passes with ci/%s-values.yaml', (variant) => {
    const r = helm(['lint', '--strict', '.', '-f', variantFile(variant)]);
    expect(r.stderr + r.stdout).toContain('0 chart(s) failed');
    expect(r.status).toBe(0);
  });

  it('helm lint --strict fails on values the schema refuses', () => {
    const r = helm(['lint', '--strict', '.', '-f', variantFile('default'), '--set', 'replicaCount=many']);
    expect(r.status).not.toBe(0);
  });

  it('renders for the oldest Kubernetes its kubeVersion claims (1.25), and refuses an older one', () => {
    const args = ['template', 'alertcord', '.', '-f', variantFile('monitoring'), '--kube-version'];
    expect(helm([...args, '1.25.0']).status).toBe(0);
    const old = helm([...args, '1.24.0']);
    expect(old.status).not.toBe(0);
    expect(old.stderr).toContain('kubeVersion');
  });

  it('every manifest of every variant is valid against the Kubernetes API schemas, with no unknown field', () => {
    const manifests = variants().flatMap((v) => render({ valuesFiles: [variantFile(v)] }));
    const kinds = new Set(manifests.map((m) => m.kind));
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'Secret', 'Pod']) {
      expect(kinds).toContain(kind);
    }
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'PodDisruptionBudget', 'NetworkPolicy']) {
      expect(kinds).toContain(kind);
    }
    expect(manifests.flatMap(schemaErrors)).toEqual([]);
    expect(unknownFields(manifests)).toEqual([]);
  });

  it('the schema check and the unknown-field check catch a broken manifest', () => {
    const [deployment] = render({ valuesFiles: [variantFile('default')] }).filter((m) => m.kind === 'Deployment');
    const broken = structuredClone(deployment!) as unknown as {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
    const container = broken.spec.template.spec.containers[0]!;
    container.ports = [{ name: 'http', containerPort: 'ninety' }];
    container.securityContext = { readOnlyRootFileSystem: true };
    const manifest = broken as unknown as Parameters<typeof schemaErrors>[0];
    expect(schemaErrors(manifest).join('\n')).toContain('containerPort must be integer');
    expect(unknownFields([manifest]).join('\n')).toContain('readOnlyRootFileSystem');
  });

  describe('values.schema.json refuses a wrong type before anything renders', () => {
    it.each([
      ['replicaCount: "3"', 'replicaCount'],
      ['targets: {default: {webhookUrl: "https://discord.com/api/webhooks/1/x", dryRun: "yes"}}', 'dryRun'],
      ['config: {delivery: {drainTimeout: "soon"}}', 'drainTimeout'],
      ['config: {delivery: {maxAttempts: 2.5}}', 'maxAttempts'],
      ['service: {port: "http"}', 'port'],
      ['serviceMonitor: {enabled: "true"}', 'enabled'],
      ['routes: [{receiver: payments}]', 'targets'],
      ['targets: {"bad name": {dryRun: true}}', 'bad name'],
      ['replicas: 3', 'replicas'],
      ['networkPolicy: {enabled: true, alertmanager: []}', 'alertmanager'],
      ['networkPolicy: {dns: null}', 'dns'],
      ['networkPolicy: {discordEgress: [{cidr: 0.0.0.0/0, exclude: [10.0.0.0/8]}]}', 'exclude'],
      ['auth: {enabled: "no"}', 'enabled'],
      ['redis: {keyPrefix: "my prefix"}', 'keyPrefix'],
      ['redis: {host: redis}', 'host'],
      ['podDisruptionBudget: {enabled: "yes"}', 'enabled'],
      ['networkPolicy: {redisPort: 70000}', 'redisPort'],
    ])('%s', (yaml, field) => {
      const error = renderError({ valuesFiles: [valuesFile('base', WEBHOOK), valuesFile('bad', `${yaml}\n`)] });
      expect(error).toMatch(/schema/i);
      expect(error).toContain(field);
    });

    it('and does not print a Redis URL it refuses, nor its password', () => {
      const password = 'SECRET-password-that-must-not-be-printed';
      for (const yaml of [
        `redis: {url: "http://user:${password}@redis:6379"}`,
        `redis: {url: "redis://user:${password}@redis:6379", keyPrefix: 1}`,
        `redis: {url: "redis://user:${password}@redis:6379"}`,
      ]) {
        const error = renderError({
          valuesFiles: [valuesFile('base', WEBHOOK), valuesFile('redis-leak', `${yaml}\n`)],
        });
        expect(error).toMatch(/redis/i);
        expect(error).not.toContain(password);
      }
    });

    it('and does not print a webhook URL it refuses', () => {
      const token = 'SECRET-token-that-must-not-be-printed';
      const error = renderError({
        valuesFiles: [
          valuesFile(
            'leak',
            `targets: {default: {webhookUrl: "https://discord.com/api/webhooks/1/${token}", dryRun: "no"}}\n`,
          ),
        ],
      });
      expect(error).toMatch(/schema/i);
      expect(error).not.toContain(token);
    });
  });

  describe('values that would deploy a broken alertcord fail with the value to fix', () => {
    it.each([
      ['', 'targets.default: needs webhookUrl, existingSecret (key "default") or dryRun: true'],
      [
        'targets: {default: {webhookUrl: "https://discord.com/api/webhooks/1/x", dryRun: true}}',
        'targets.default: set either webhookUrl or dryRun: true, not both',
      ],
      [`${WEBHOOK}existingSecret: mine`, 'targets.default.webhookUrl: leave empty with existingSecret'],
      [`${WEBHOOK}routes: [{targets: [nowhere]}]`, 'routes[0].targets: unknown target "nowhere" (targets: default)'],
      [`${WEBHOOK}templates: {existingConfigMap: mine, files: {a.yaml: "x"}}`, 'templates: set either'],
      [`${WEBHOOK}auth: {bearerToken: t, existingSecret: mine}`, 'auth: set either bearerToken or existingSecret'],
      [`${WEBHOOK}auth: {enabled: false, bearerToken: t}`, 'auth.enabled is false: leave auth.bearerToken'],
      [`${WEBHOOK}redis: {url: "redis://r:6379", existingSecret: mine}`, 'redis: set either url or existingSecret'],
      [`${WEBHOOK}redis: {url: "redis://:pw@r:6379"}`, 'redis.url holds a password: put the whole URL in a Secret'],
      [`${WEBHOOK}redis: {url: "r:6379"}`, 'redis.url must be a redis:// or rediss:// URL with a host'],
      [
        `${WEBHOOK}terminationGracePeriodSeconds: 20`,
        'terminationGracePeriodSeconds (20) must be above config.delivery.drainTimeout (25s)',
      ],
    ])('%s', (yaml, message) => {
      expect(renderError({ valuesFiles: [valuesFile('invalid', `${yaml}\n`)] })).toContain(message);
    });
  });
});
