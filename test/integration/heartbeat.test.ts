import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../fixtures/index.js';
import { FakeClock, flush } from '../support/fake-clock.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const watchdog = () => {
  const body = fixture('firing');
  body.groupKey = '{}:{alertname="Watchdog"}';
  body.commonLabels = { alertname: 'Watchdog', severity: 'none' };
  body.alerts = [
    { ...body.alerts[0]!, labels: { alertname: 'Watchdog', severity: 'none' }, fingerprint: 'watchdog01' },
  ];
  return body;
};

describe("dead man's switch", () => {
  const clock = new FakeClock();
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(
      testConfig({
        heartbeat: { alertname: 'Watchdog', timeout: '10m', target: 'ops' },
        targets: { team: { dry_run: true }, ops: { dry_run: true } },
        routes: [{ targets: ['team'] }],
      }),
      clock,
    );
  });
  afterAll(() => service.shutdown());

  const printedFor = (target: string) =>
    service.printed
      .map(
        (l) =>
          JSON.parse(l) as {
            target: string;
            message: { content?: string; embeds?: { title?: string; description?: string }[] };
          },
      )
      .filter((l) => l.target === target);

  it('never posts the heartbeat itself, and records when it was seen', async () => {
    const res = await service.post(watchdog());
    expect(await res.json()).toMatchObject({ status: 'heartbeat' });
    const mixed = watchdog();
    mixed.alerts.push(fixture('firing').alerts[0]!);
    await service.post(mixed);
    await eventually(() => expect(printedFor('team')).toHaveLength(1));
    expect(JSON.stringify(printedFor('team'))).not.toContain('Watchdog');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`alertcord_heartbeat_last_seen_timestamp_seconds ${clock.now() / 1000}`));
    expect(metrics).toContain('alertcord_heartbeat_silent 0');
  });

  it('posts "pipeline silent" once after the timeout, and a recovery when it returns', async () => {
    await clock.advance(9 * 60_000);
    expect(printedFor('ops')).toHaveLength(0);
    await clock.advance(2 * 60_000);
    await eventually(() => expect(printedFor('ops')).toHaveLength(1));
    const silent = JSON.stringify(printedFor('ops')[0]);
    expect(silent).toContain('Alerting pipeline silent since');
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain('alertcord_heartbeat_silent 1');

    await clock.advance(30 * 60_000);
    await flush();
    expect(printedFor('ops')).toHaveLength(1);

    await service.post(watchdog());
    await eventually(() => expect(printedFor('ops')).toHaveLength(2));
    const back = JSON.stringify(printedFor('ops')[1]);
    expect(back).toContain('Alerting pipeline is back');
    expect(back).toContain('RESOLVED');
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain('alertcord_heartbeat_silent 0');
  });

  it('refuses a heartbeat target that does not exist', () => {
    expect(() =>
      testConfig({ heartbeat: { target: 'nope' }, targets: { a: { dry_run: true } }, routes: [{ targets: ['a'] }] }),
    ).toThrow('heartbeat.target: unknown target "nope"');
  });
});
