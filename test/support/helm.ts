import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The chart under test, and helm 4 as scripts/fetch-helm.sh installs it (or $HELM). */
export const CHART_DIR = resolve('helm/alertcord');
export const HELM = process.env.HELM ?? resolve('.tools/helm/helm');
export const helmAvailable = () => existsSync(HELM);

const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
/** Locally without helm the chart tests skip (with a note); in CI they fail. */
export const skipHelm = !helmAvailable() && !inCI;
if (skipHelm) console.warn(`helm not found at ${HELM}: chart tests skipped (npm run helm:fetch installs it)`);

export const RELEASE = 'alertcord';
export const NAMESPACE = 'monitoring';

/** The CI variants: ci/<name>-values.yaml. */
export const variants = (): string[] =>
  readdirSync(join(CHART_DIR, 'ci'))
    .filter((f) => f.endsWith('-values.yaml'))
    .map((f) => f.slice(0, -'-values.yaml'.length))
    .sort();
export const variantFile = (variant: string) => join(CHART_DIR, 'ci', `${variant}-values.yaml`);

export interface HelmRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function helm(args: string[], chartDir = CHART_DIR): HelmRun {
  if (!helmAvailable()) throw new Error(`helm not found at ${HELM}: run scripts/fetch-helm.sh`);
  const r = spawnSync(HELM, args, {
    cwd: chartDir,
    encoding: 'utf8',
    // No cluster: helm must not find or need one.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', KUBECONFIG: '/nonexistent' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface RenderOptions {
  valuesFiles?: string[];
  set?: string[];
  chartDir?: string;
}

const valueArgs = (o: RenderOptions) => [
  ...(o.valuesFiles ?? []).flatMap((f) => ['-f', f]),
  ...(o.set ?? []).flatMap((s) => ['--set', s]),
];

/** `helm template`, every document parsed; throws with helm's message when it refuses. */
export function render(o: RenderOptions = {}): Manifest[] {
  const r = helm(['template', RELEASE, '.', '--namespace', NAMESPACE, ...valueArgs(o)], o.chartDir);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`invalid YAML from helm template: ${d.errors[0]?.message}`);
      return d.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}

/** The NOTES helm prints after an install, without a cluster (client-side dry run). */
export function renderNotes(o: RenderOptions = {}): string {
  const r = helm(['install', RELEASE, '.', '--namespace', NAMESPACE, '--dry-run=client', ...valueArgs(o)], o.chartDir);
  if (r.status !== 0) throw new Error(`helm install --dry-run failed: ${r.stderr}`);
  const notes = r.stdout.indexOf('NOTES:\n');
  if (notes < 0) throw new Error('helm printed no NOTES');
  return r.stdout.slice(notes + 'NOTES:\n'.length);
}

/** helm's answer to values it should refuse: the status and what it said. */
export function renderError(o: RenderOptions): string {
  const r = helm(['template', RELEASE, '.', '--namespace', NAMESPACE, ...valueArgs(o)], o.chartDir);
  if (r.status === 0) throw new Error('helm template accepted the values');
  return r.stderr;
}

export const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
export function one<T = Manifest>(manifests: Manifest[], kind: string): T {
  const found = byKind(manifests, kind).filter((m) => !m.metadata.annotations?.['helm.sh/hook']);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as T;
}
