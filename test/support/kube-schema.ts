import { resolve } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import ts from 'typescript';
import type { Manifest } from './helm.js';

/**
 * Validation of rendered manifests against the Kubernetes API schemas, as the kubernetes-models
 * packages carry them (generated from the API's OpenAPI documents, and the Prometheus Operator's
 * CRDs): types, required fields and enums by their JSON-schema validators; unknown fields (a typo
 * like `readOnlyRootFileSystem` that an API server would drop) by type-checking the manifests
 * against the same models' TypeScript declarations, whose excess-property checks catch them.
 */
interface Kind {
  model: new (data: never) => { validate(): void };
  /** Module and interface of its TypeScript declaration. */
  module: string;
  type: string;
}

const KINDS: Record<string, Kind> = {
  'apps/v1 Deployment': { model: Deployment, module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'v1 Service': { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
  'v1 ServiceAccount': {
    model: ServiceAccount,
    module: 'kubernetes-models/v1/ServiceAccount',
    type: 'IServiceAccount',
  },
  'v1 ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1 Secret': { model: Secret, module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'v1 Pod': { model: Pod, module: 'kubernetes-models/v1/Pod', type: 'IPod' },
  'policy/v1 PodDisruptionBudget': {
    model: PodDisruptionBudget,
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    type: 'IPodDisruptionBudget',
  },
  'networking.k8s.io/v1 NetworkPolicy': {
    model: NetworkPolicy,
    module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    type: 'INetworkPolicy',
  },
  'monitoring.coreos.com/v1 ServiceMonitor': {
    model: ServiceMonitor,
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
    type: 'IServiceMonitor',
  },
  'monitoring.coreos.com/v1 PrometheusRule': {
    model: PrometheusRule,
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    type: 'IPrometheusRule',
  },
};

const kindOf = (m: Manifest) => KINDS[`${m.apiVersion} ${m.kind}`];
const describe = (m: Manifest) => `${m.kind}/${m.metadata?.name}`;

/** Schema violations of one manifest, as "Kind/name: /path message" lines. */
export function schemaErrors(m: Manifest): string[] {
  const kind = kindOf(m);
  if (!kind) return [`${describe(m)}: no schema for ${m.apiVersion} ${m.kind}`];
  try {
    new kind.model(m as never).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!errors) return [`${describe(m)}: ${(err as Error).message}`];
    return errors.map((e) => `${describe(m)}: ${e.instancePath || '/'} ${e.message ?? ''}`);
  }
}

/** Fields the Kubernetes API does not know, in any of the manifests (one type-check for all). */
export function unknownFields(manifests: Manifest[]): string[] {
  const root = resolve('.');
  const file = resolve(root, '__rendered-manifests__.ts');
  const imports = new Map<string, string>();
  const lines = manifests.map((m, i) => {
    const kind = kindOf(m);
    if (!kind) return `// ${describe(m)}: unknown kind`;
    imports.set(kind.type, kind.module);
    return `export const m${i}: ${kind.type} = ${JSON.stringify(m)};`;
  });
  const source = [...[...imports].map(([type, module]) => `import type { ${type} } from '${module}';`), ...lines].join(
    '\n',
  );
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file?.fileName !== file || d.start === undefined) return message;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line;
    const m = manifests[Number(/^export const m(\d+)/.exec(source.split('\n')[line] ?? '')?.[1])];
    return `${m ? describe(m) : 'manifest'}: ${message}`;
  });
}
