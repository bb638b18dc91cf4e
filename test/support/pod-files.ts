import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Manifest } from './helm.js';

/**
 * The files alertcord's container would see, laid out under a temporary root from the rendered
 * Deployment's volumes and mounts: ConfigMap and Secret keys become files at their item paths,
 * exactly where the kubelet would put them. Objects the chart expects to exist already (an
 * existing Secret or ConfigMap) come from `existing`.
 */
export interface PodFiles {
  root: string;
  /** The config file the container's args name, with its absolute paths moved under root. */
  configFile: string;
}

type Data = Record<string, string>;
interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  emptyDir?: unknown;
}
interface PodSpec {
  containers: { args?: string[]; volumeMounts?: { name: string; mountPath: string }[] }[];
  volumes?: Volume[];
}

export function podFiles(manifests: Manifest[], existing: Record<string, Data> = {}): PodFiles {
  const root = mkdtempSync(join(tmpdir(), 'alertcord-pod-'));
  const objects = new Map<string, Data>(Object.entries(existing));
  for (const m of manifests) {
    if (m.kind === 'ConfigMap') objects.set(m.metadata.name, (m.data ?? {}) as Data);
    if (m.kind === 'Secret') {
      const data = Object.entries((m.data ?? {}) as Data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]);
      objects.set(m.metadata.name, Object.fromEntries(data));
    }
  }
  const deployment = manifests.find((m) => m.kind === 'Deployment') as unknown as {
    spec: { template: { spec: PodSpec } };
  };
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0]!;
  const mounts = container.volumeMounts ?? [];
  for (const mount of mounts) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    if (!volume) throw new Error(`volumeMount ${mount.name} has no volume`);
    const dir = join(root, mount.mountPath);
    mkdirSync(dir, { recursive: true });
    const source = volume.configMap ?? volume.secret;
    if (!source) continue;
    const name = volume.configMap?.name ?? volume.secret!.secretName;
    const data = objects.get(name);
    if (!data) throw new Error(`volume ${mount.name}: ${name} neither rendered nor given as existing`);
    const items = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const item of items) {
      const value = data[item.key];
      // The kubelet would not start the pod: a referenced key must exist.
      if (value === undefined) throw new Error(`volume ${mount.name}: ${name} has no key ${item.key}`);
      mkdirSync(dirname(join(dir, item.path)), { recursive: true });
      writeFileSync(join(dir, item.path), value);
    }
  }

  const args = container.args ?? [];
  const configPath = args[args.indexOf('--config') + 1];
  if (!args.includes('--config') || !configPath) throw new Error(`container args name no --config: ${args.join(' ')}`);
  const configFile = join(root, configPath);
  const underRoot = (value: unknown): unknown => {
    if (typeof value === 'string')
      return mounts.some((m) => value.startsWith(`${m.mountPath}/`) || value === m.mountPath)
        ? join(root, value)
        : value;
    if (Array.isArray(value)) return value.map(underRoot);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, underRoot(v)]));
    return value;
  };
  writeFileSync(configFile, stringify(underRoot(parse(readFileSync(configFile, 'utf8')))));
  return { root, configFile };
}
