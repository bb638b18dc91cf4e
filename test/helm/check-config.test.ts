import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FAKE_WEBHOOK_URL } from '../fixtures/index.js';
import { render, skipHelm, variantFile, variants, type Manifest } from '../support/helm.js';
import { podFiles } from '../support/pod-files.js';

/*
 * The chart and alertcord cannot drift apart: the config the chart renders, with the files its
 * volumes mount, is checked by the built alertcord itself (check-config loads the config, reads
 * each webhook file and compiles the templates), the way the container starts it.
 */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(DISCORD_|ALERTCORD_|PORT$|HOST$|LOG_LEVEL$)/.test(k)),
);
// --strict: every webhook and token file the config names must be mounted and readable.
const checkConfig = (file: string) =>
  spawnSync(process.execPath, ['dist/cli.js', 'check-config', '--strict', file], { env: cleanEnv, encoding: 'utf8' });

const REDIS_URL_WITH_PASSWORD = 'redis://alertcord:not-a-real-password@redis.monitoring.svc:6380/0';
/** What the existing-secret variant expects to find in the cluster. */
const EXISTING = {
  'alertcord-webhooks': { 'payments-url': FAKE_WEBHOOK_URL, platform: FAKE_WEBHOOK_URL },
  'alertmanager-token': { token: 'not-a-real-token' },
  'alertcord-redis': { url: REDIS_URL_WITH_PASSWORD },
  'my-templates': {
    'compact.yaml': 'description: Compact.\ncontent: "{{> line}}"\n',
    'line.hbs': '{{commonLabels.alertname}}',
  },
};

function checked(manifests: Manifest[]) {
  const files = podFiles(manifests, EXISTING);
  return { ...files, result: checkConfig(files.configFile) };
}

describe.skipIf(skipHelm)('helm chart → alertcord check-config', () => {
  it.each(variants())('ci/%s-values.yaml renders a config alertcord accepts, with every file it names', (variant) => {
    const { result } = checked(render({ valuesFiles: [variantFile(variant)] }));
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(': OK (');
    expect(result.status).toBe(0);
  });

  it('the user templates variant loads its own template and partial', () => {
    const { result } = checked(render({ valuesFiles: [variantFile('user-templates')] }));
    expect(result.stdout).toMatch(/templates: .*compact/);
  });

  it('templates from an existing ConfigMap, partials mapped with existingConfigMapItems', () => {
    const manifests = render({
      valuesFiles: [variantFile('default')],
      set: [
        'templates.existingConfigMap=my-templates',
        'templates.existingConfigMapItems[0].key=compact.yaml',
        'templates.existingConfigMapItems[0].path=compact.yaml',
        'templates.existingConfigMapItems[1].key=line.hbs',
        'templates.existingConfigMapItems[1].path=partials/line.hbs',
        'targets.default.template=compact',
      ],
    });
    const { root, result } = checked(manifests);
    expect(existsSync(join(root, '/etc/alertcord/templates/partials/line.hbs'))).toBe(true);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/templates: .*compact/);
  });

  it('a drift is caught: a config naming a template the chart does not mount fails', () => {
    const { result } = checked(
      render({ valuesFiles: [variantFile('default')], set: ['targets.default.template=nope'] }),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('targets.default.template: unknown template "nope"');
  });

  describe('replicas and receiver auth reach the config', () => {
    it('rate_limit.replicas is replicaCount, so replicas together keep to one budget', () => {
      const manifests = render({ valuesFiles: [variantFile('replicas')] });
      const config = parse(podFilesConfig(manifests)) as { rate_limit?: { replicas: number } };
      expect(config.rate_limit).toEqual({ replicas: 3 });
    });

    it('with Redis, rate_limit.replicas is 1 (one dispatcher, the whole budget) and state.redis is set', () => {
      const config = parse(podFilesConfig(render({ valuesFiles: [variantFile('ha')] }))) as {
        rate_limit?: { replicas: number };
        state?: unknown;
      };
      expect(config.rate_limit).toEqual({ replicas: 1 });
      expect(config.state).toEqual({
        redis: { url: 'redis://redis-master.monitoring.svc:6379/0', key_prefix: 'alertcord-prod:' },
      });
      const three = parse(podFilesConfig(render({ valuesFiles: [variantFile('ha')], set: ['replicaCount=3'] })));
      expect((three as { rate_limit?: unknown }).rate_limit).toEqual({ replicas: 1 });
    });

    it('a Redis URL from an existing Secret is the mounted file state.redis.url_file names, not in the config', () => {
      const manifests = render({ valuesFiles: [variantFile('existing-secret')] });
      const { root, configFile } = podFiles(manifests, EXISTING);
      const text = readFileSync(configFile, 'utf8');
      expect(text).not.toContain('not-a-real-password');
      const config = parse(text) as { state?: { redis?: { url?: string; url_file?: string } } };
      expect(config.state?.redis?.url).toBeUndefined();
      const file = config.state?.redis?.url_file ?? '';
      expect(file.startsWith(root)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(REDIS_URL_WITH_PASSWORD);
    });

    it.each(['monitoring', 'default'])('%s: server.auth.bearer_token_file names the mounted token', (variant) => {
      const manifests = render({ valuesFiles: [variantFile(variant)] });
      const secret = manifests.find((m) => m.metadata.name === 'alertcord-auth') as unknown as {
        data: Record<string, string>;
      };
      const { root, configFile } = podFiles(manifests, EXISTING);
      const config = parse(readFileSync(configFile, 'utf8')) as { server: { auth?: { bearer_token_file: string } } };
      const tokenFile = config.server.auth?.bearer_token_file ?? '';
      expect(tokenFile.startsWith(root)).toBe(true);
      expect(readFileSync(tokenFile, 'utf8')).toBe(Buffer.from(secret.data['bearer-token']!, 'base64').toString());
      expect(readFileSync(tokenFile, 'utf8')).toMatch(
        variant === 'default' ? /^[A-Za-z0-9]{48}$/ : /^not-a-real-token$/,
      );
    });
  });
});

function podFilesConfig(manifests: Manifest[]): string {
  return readFileSync(podFiles(manifests, EXISTING).configFile, 'utf8');
}
