import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { findAmtoolBinary } from '../support/alertmanager.js';
import { renderNotes, skipHelm, variantFile } from '../support/helm.js';

/*
 * NOTES.txt prints the webhook_configs block for this release: the block must be exactly what
 * Alertmanager accepts (amtool check-config says so) and point at this release's Service.
 */
const amtool = findAmtoolBinary();
const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const dir = mkdtempSync(join(tmpdir(), 'alertcord-notes-'));

interface Receiver {
  name: string;
  webhook_configs: {
    url: string;
    send_resolved: boolean;
    max_alerts: number;
    http_config?: { authorization: { type: string; credentials_file: string } };
  }[];
}

/** The `receivers:` block of the NOTES, parsed. */
function receivers(notes: string): Receiver[] {
  const start = notes.indexOf('receivers:\n');
  expect(start, notes).toBeGreaterThanOrEqual(0);
  const block = notes.slice(start).split('\n\n')[0]!;
  return (parse(block) as { receivers: Receiver[] }).receivers;
}

function amtoolCheck(list: Receiver[]) {
  const file = join(dir, `alertmanager-${list.map((r) => r.name).join('-')}.yml`);
  writeFileSync(
    file,
    stringify({ route: { receiver: list[0]!.name, routes: list.map((r) => ({ receiver: r.name })) }, receivers: list }),
  );
  return spawnSync(amtool!, ['check-config', file], { encoding: 'utf8' });
}

const SERVICE = 'http://alertcord.monitoring.svc:9094';

describe.skipIf(skipHelm || (!amtool && !inCI))('NOTES: the Alertmanager webhook_configs for this release', () => {
  it('without auth: one receiver posting to the Service, which amtool accepts', () => {
    expect(amtool, 'amtool missing: CI installs prometheus-alertmanager').toBeDefined();
    const notes = renderNotes({ valuesFiles: [variantFile('default')] });
    const list = receivers(notes);
    expect(list).toEqual([
      { name: 'discord', webhook_configs: [{ url: `${SERVICE}/alerts`, send_resolved: true, max_alerts: 0 }] },
    ]);
    const r = amtoolCheck(list);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
    expect(notes).not.toContain('FAKE-token');
  });

  it('with auth and routes: a receiver per route, each sending the bearer token from a file', () => {
    const notes = renderNotes({ valuesFiles: [variantFile('existing-secret')] });
    const list = receivers(notes);
    expect(list.map((r) => [r.name, r.webhook_configs[0]?.url])).toEqual([
      ['discord', `${SERVICE}/alerts`],
      ['discord-preview', `${SERVICE}/alerts/preview`],
      ['payments', `${SERVICE}/alerts`],
    ]);
    for (const r of list) {
      expect(r.webhook_configs[0]?.http_config).toEqual({
        authorization: { type: 'Bearer', credentials_file: '/etc/alertmanager/secrets/alertmanager-token/token' },
      });
    }
    const r = amtoolCheck(list);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
    expect(notes).toContain('DRY-RUN targets (preview)');
  });

  it("with the chart's own token Secret, names it and never prints the token", () => {
    const notes = renderNotes({ valuesFiles: [variantFile('monitoring')] });
    const [receiver] = receivers(notes);
    expect(receiver?.webhook_configs[0]?.http_config?.authorization.credentials_file).toBe(
      '/etc/alertmanager/secrets/alertcord-auth/bearer-token',
    );
    expect(notes).toContain('Secret alertcord-auth');
    expect(notes).not.toContain('not-a-real-token');
  });
});
