import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { durationSchema } from '../../src/config/units.js';
import { byKind, one, render, skipHelm, variantFile, variants, type Manifest } from '../support/helm.js';

/* The properties the chart promises, read from what it renders for every CI variant. */

interface Container {
  name: string;
  args?: string[];
  env?: unknown[];
  envFrom?: unknown[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  securityContext?: Record<string, unknown>;
  resources?: unknown;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  containers: Container[];
  volumes?: {
    name: string;
    secret?: { secretName: string; defaultMode?: number; items?: { key: string; path: string }[] };
  }[];
}
interface Deployment extends Manifest {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { annotations: Record<string, string>; labels: Record<string, string> }; spec: PodSpec };
  };
}

const cache = new Map<string, Manifest[]>();
/** Rendered once per variant and values, when a test first asks (not while tests are collected). */
function rendered(variant: string, set: string[] = []): Manifest[] {
  const key = JSON.stringify([variant, set]);
  if (!cache.has(key)) cache.set(key, render({ valuesFiles: [variantFile(variant)], set }));
  return cache.get(key)!;
}
const deployment = (manifests: Manifest[]) => one<Deployment>(manifests, 'Deployment');
const container = (manifests: Manifest[]) => deployment(manifests).spec.template.spec.containers[0]!;
const configOf = (manifests: Manifest[]) =>
  parse((one(manifests, 'ConfigMap') as unknown as { data: Record<string, string> }).data['config.yaml']!) as {
    server: { auth?: unknown };
    delivery: { drain_timeout: string };
    targets: Record<string, { webhook_url_file?: string; dry_run?: boolean }>;
  };
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Every webhook URL (and its token) a variant's values hold. */
function webhookSecrets(variant: string): string[] {
  const text = readFileSync(variantFile(variant), 'utf8');
  return [...text.matchAll(/https:\/\/discord\.com\/api\/webhooks\/\d+\/([\w-]+)/g)].flatMap((m) => [m[0], m[1]!]);
}

describe.skipIf(skipHelm)('helm chart: what the manifests promise', () => {
  describe.each(variants())('ci/%s-values.yaml', (variant) => {
    const manifests = () => rendered(variant);
    const pod = () => deployment(manifests()).spec.template.spec;
    const c = () => container(manifests());

    it('runs hardened: non-root fixed uid, read-only root, no escalation, no capabilities, RuntimeDefault seccomp', () => {
      expect(pod().securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod().securityContext?.runAsUser).toBeGreaterThan(0);
      expect(c().securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c().securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod().automountServiceAccountToken).toBe(false);
      for (const sa of byKind(manifests(), 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
    });

    it('probes /healthz and /readyz on the named port http (9094)', () => {
      expect(c().ports).toEqual([{ name: 'http', containerPort: 9094, protocol: 'TCP' }]);
      expect(c().livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c().readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    });

    it('gives the pod longer than the drain deadline to stop', () => {
      const drainMs = durationSchema.parse(configOf(manifests()).delivery.drain_timeout);
      expect(pod().terminationGracePeriodSeconds! * 1000).toBeGreaterThan(drainMs);
    });

    it('has checksum/config and checksum/secret annotations on the pod', () => {
      const annotations = deployment(manifests()).spec.template.metadata.annotations;
      expect(annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
      expect(annotations['checksum/secret']).toMatch(/^[0-9a-f]{64}$/);
    });

    it('keeps webhook URLs out of every ConfigMap, the environment and every other non-Secret object', () => {
      const secrets = webhookSecrets(variant);
      for (const m of manifests().filter((m) => m.kind !== 'Secret')) {
        const text = JSON.stringify(m);
        expect(text).not.toContain('/api/webhooks/');
        for (const s of secrets) expect(text).not.toContain(s);
      }
      for (const m of byKind(manifests(), 'Deployment').concat(byKind(manifests(), 'Pod'))) {
        const spec = (m.kind === 'Pod' ? m.spec : (m as Deployment).spec.template.spec) as PodSpec;
        expect(spec.enableServiceLinks).toBe(false);
        for (const each of spec.containers) {
          expect(each.env ?? []).toEqual([]);
          expect(each.envFrom ?? []).toEqual([]);
        }
      }
    });

    it("mounts each delivering target's URL as the file its webhook_url_file names", () => {
      const config = configOf(manifests());
      const mount = c().volumeMounts?.find((v) => v.name === 'webhooks');
      const volume = pod().volumes?.find((v) => v.name === 'webhooks');
      for (const [name, target] of Object.entries(config.targets)) {
        if (target.dry_run) {
          expect(target.webhook_url_file).toBeUndefined();
          continue;
        }
        expect(target.webhook_url_file).toBe(`${mount?.mountPath}/${name}`);
        expect(volume?.secret?.items?.map((i) => i.path)).toContain(name);
        expect(volume?.secret?.defaultMode).toBe(0o440);
      }
    });

    it('selects only the alertcord pods, from the Service, the PDB and the NetworkPolicy', () => {
      const podLabels = deployment(manifests()).spec.template.metadata.labels;
      expect(matches(deployment(manifests()).spec.selector.matchLabels, podLabels)).toBe(true);
      const service = one(manifests(), 'Service') as Manifest & { spec: { selector: Record<string, string> } };
      expect(matches(service.spec.selector, podLabels)).toBe(true);
      for (const test of byKind(manifests(), 'Pod'))
        expect(matches(service.spec.selector, test.metadata.labels)).toBe(false);
      for (const kind of ['PodDisruptionBudget', 'NetworkPolicy', 'ServiceMonitor']) {
        for (const m of byKind(manifests(), kind)) {
          const spec = m.spec as {
            selector?: { matchLabels: Record<string, string> };
            podSelector?: { matchLabels: Record<string, string> };
          };
          const selector = (spec.selector ?? spec.podSelector)!.matchLabels;
          const labels = kind === 'ServiceMonitor' ? service.metadata?.labels : podLabels;
          expect(matches(selector, labels), kind).toBe(true);
        }
      }
    });
  });

  it("leaves resources unset by default and runs one replica of the chart's appVersion", () => {
    const manifests = rendered('default');
    expect(container(manifests).resources).toBeUndefined();
    expect(deployment(manifests).spec.replicas).toBe(1);
    const chart = parse(readFileSync('helm/alertcord/Chart.yaml', 'utf8')) as { appVersion: string };
    expect((container(manifests) as unknown as { image: string }).image).toBe(`alertcord:${chart.appVersion}`);
  });

  it('rolls the pods on a config change (checksum/config) and on a webhook change (checksum/secret)', () => {
    const annotations = (set: string[]) => deployment(rendered('default', set)).spec.template.metadata.annotations;
    const base = annotations([]);
    const logLevel = annotations(['config.logLevel=debug']);
    const webhook = annotations(['targets.default.webhookUrl=https://discord.com/api/webhooks/2/other']);
    expect(logLevel['checksum/config']).not.toBe(base['checksum/config']);
    expect(logLevel['checksum/secret']).toBe(base['checksum/secret']);
    expect(webhook['checksum/secret']).not.toBe(base['checksum/secret']);
    expect(webhook['checksum/config']).toBe(base['checksum/config']);
  });

  it('sets the grace period from the drain deadline: 25s → 35, 1m → 70', () => {
    expect(deployment(rendered('default')).spec.template.spec.terminationGracePeriodSeconds).toBe(35);
    expect(deployment(rendered('replicas')).spec.template.spec.terminationGracePeriodSeconds).toBe(70);
    const explicit = rendered('default', ['terminationGracePeriodSeconds=120']);
    expect(deployment(explicit).spec.template.spec.terminationGracePeriodSeconds).toBe(120);
  });

  it('runs replicaCount pods with a PodDisruptionBudget when asked', () => {
    const manifests = rendered('replicas');
    expect(deployment(manifests).spec.replicas).toBe(3);
    expect(one(manifests, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1 });
  });

  describe('high availability (Redis)', () => {
    type Egress = { to?: unknown[]; ports: { port: number; protocol: string }[] }[];
    const egress = (manifests: Manifest[]) => (one(manifests, 'NetworkPolicy').spec as { egress: Egress }).egress;
    const pdb = (manifests: Manifest[]) => byKind(manifests, 'PodDisruptionBudget');

    it('runs 2 replicas by default, and an explicit replicaCount as given', () => {
      expect(deployment(rendered('ha')).spec.replicas).toBe(2);
      expect(deployment(rendered('ha', ['replicaCount=3'])).spec.replicas).toBe(3);
      expect(deployment(rendered('ha', ['replicaCount=1'])).spec.replicas).toBe(1);
      expect(deployment(rendered('default', ['replicaCount=2'])).spec.replicas).toBe(2);
    });

    it('adds a PodDisruptionBudget keeping 1 pod, none for a single pod, and none without Redis unless asked', () => {
      expect(pdb(rendered('ha')).map((m) => m.spec)).toMatchObject([{ minAvailable: 1 }]);
      expect(pdb(rendered('ha'))[0]?.spec).not.toHaveProperty('maxUnavailable');
      expect(
        pdb(rendered('ha', ['podDisruptionBudget.minAvailable=2', 'replicaCount=3'])).map((m) => m.spec),
      ).toMatchObject([{ minAvailable: 2 }]);
      // A budget keeping the only pod would block every node drain.
      expect(pdb(rendered('ha', ['replicaCount=1']))).toEqual([]);
      expect(pdb(rendered('ha', ['podDisruptionBudget.enabled=false']))).toEqual([]);
      expect(pdb(rendered('default', ['replicaCount=2']))).toEqual([]);
    });

    it("lets the pods reach Redis on its port: redis.url's, networkPolicy.redisPort, else 6379", () => {
      const [, redis] = egress(rendered('ha'));
      expect(redis).toEqual({
        ports: [{ port: 6379, protocol: 'TCP' }],
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } } }],
      });
      expect(egress(rendered('existing-secret'))[1]).toEqual({ ports: [{ port: 6380, protocol: 'TCP' }] });
      const custom = egress(rendered('default', ['redis.url=rediss://cache.example.net:7000/1']))[1];
      expect(custom).toEqual({ ports: [{ port: 7000, protocol: 'TCP' }] });
      expect(egress(rendered('default')).map((e) => e.ports[0]?.port)).toEqual([53, 443]);
    });

    it('mounts a Redis URL from an existing Secret as a file, readable by the group only, never as env', () => {
      const manifests = rendered('existing-secret');
      const volume = deployment(manifests).spec.template.spec.volumes?.find((v) => v.name === 'redis');
      expect(volume?.secret).toEqual({
        secretName: 'alertcord-redis',
        defaultMode: 0o440,
        items: [{ key: 'url', path: 'url' }],
      });
      expect(container(manifests).volumeMounts).toContainEqual({
        name: 'redis',
        mountPath: '/etc/alertcord/redis',
        readOnly: true,
      });
      expect(container(manifests).env).toBeUndefined();
      expect(deployment(rendered('ha')).spec.template.spec.volumes?.map((v) => v.name)).not.toContain('redis');
    });
  });

  it('NetworkPolicy, on by default: ingress only on http from Alertmanager, Prometheus and helm test; egress only DNS and 443', () => {
    const policy = one(rendered('default'), 'NetworkPolicy').spec as {
      policyTypes: string[];
      ingress: { from: Record<string, unknown>[]; ports: unknown[] }[];
      egress: { to: Record<string, unknown>[]; ports: { port: number; protocol: string }[] }[];
    };
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toHaveLength(1);
    expect(policy.ingress[0]!.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    const from = JSON.stringify(policy.ingress[0]!.from);
    for (const name of ['alertmanager', 'prometheus', '"app.kubernetes.io/component":"test"'])
      expect(from).toContain(name);
    expect(policy.ingress[0]!.from.every((peer) => Object.keys(peer).length > 0)).toBe(true);
    expect(policy.egress.map((e) => e.ports.map((p) => `${p.port}/${p.protocol}`))).toEqual([
      ['53/UDP', '53/TCP'],
      ['443/TCP'],
    ]);
    expect(policy.egress.every((e) => e.to.length > 0)).toBe(true);
    // 443 anywhere but the private ranges a cluster lives in.
    expect(policy.egress[1]!.to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } },
      { ipBlock: { cidr: '::/0', except: ['fc00::/7'] } },
    ]);
  });

  it("NetworkPolicy: the 443 egress takes the cluster's own ranges, and can be turned off", () => {
    const policy = one(rendered('networkpolicy'), 'NetworkPolicy').spec as { egress: { to: unknown[] }[] };
    expect(policy.egress[1]!.to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.96.0.0/12', '10.244.0.0/16', '100.64.0.0/10'] } },
    ]);
    expect(byKind(rendered('open'), 'NetworkPolicy')).toEqual([]);
  });

  describe('receiver auth', () => {
    const authSecret = (manifests: Manifest[]) =>
      byKind(manifests, 'Secret').find((m) => m.metadata.name === 'alertcord-auth') as
        (Manifest & { data: Record<string, string> }) | undefined;
    const token = (manifests: Manifest[]) =>
      Buffer.from(authSecret(manifests)!.data['bearer-token']!, 'base64').toString();

    it('is on by default with a generated token: 48 random letters and digits, new in every fresh render', () => {
      const first = token(render({ valuesFiles: [variantFile('default')] }));
      const second = token(render({ valuesFiles: [variantFile('default')] }));
      expect(first).toMatch(/^[A-Za-z0-9]{48}$/);
      expect(second).toMatch(/^[A-Za-z0-9]{48}$/);
      expect(second).not.toBe(first);
    });

    it('reuses the token of an existing Secret (lookup) instead of generating one', () => {
      const helpers = readFileSync('helm/alertcord/templates/_helpers.tpl', 'utf8');
      expect(helpers).toMatch(/lookup "v1" "Secret" \.Release\.Namespace \(include "alertcord\.authSecretName" \.\)/);
      expect(helpers).toContain('dig "data" "bearer-token"');
    });

    it('does not roll the pods for a generated token, but does for a given one', () => {
      const checksum = (set: string[]) =>
        deployment(render({ valuesFiles: [variantFile('default')], set })).spec.template.metadata.annotations[
          'checksum/secret'
        ];
      expect(checksum([])).toBe(checksum([]));
      expect(checksum(['auth.bearerToken=one'])).not.toBe(checksum(['auth.bearerToken=two']));
    });

    it('takes a given token, creates no Secret for an existing one, and none when turned off', () => {
      expect(token(rendered('monitoring'))).toBe('not-a-real-token');
      expect(authSecret(rendered('existing-secret'))).toBeUndefined();
      expect(authSecret(rendered('open'))).toBeUndefined();
      const volumes = deployment(rendered('open')).spec.template.spec.volumes ?? [];
      expect(volumes.map((v) => v.name)).not.toContain('auth');
      expect(configOf(rendered('open'))).not.toHaveProperty('server.auth');
    });
  });

  it('ServiceMonitor scrapes /metrics on port http', () => {
    const monitor = one(rendered('monitoring'), 'ServiceMonitor').spec as { endpoints: unknown[] };
    expect(monitor.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }]);
  });
});
