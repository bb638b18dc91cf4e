import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type StoredMessage, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { channelState } from '../support/channel-state.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

interface Body {
  groupKey: string;
  status: string;
  groupLabels: Record<string, string>;
  alerts: { status: string; endsAt: string; fingerprint: string; labels: Record<string, string> }[];
}

let nextAlert = 0;

/** A firing group `name` of `alerts` alerts, each named by a fresh id `A` + 6 digits. */
function group(name: string, alerts: number): Body {
  const body = fixture('firing') as unknown as Body;
  body.groupKey = `{}:{alertname="${name}"}`;
  body.groupLabels = { alertname: name };
  const template = body.alerts[0]!;
  body.alerts = Array.from({ length: alerts }, () => {
    const id = `A${String(++nextAlert).padStart(6, '0')}`;
    return { ...template, fingerprint: id, labels: { ...template.labels, alertname: name, instance: id } };
  });
  return body;
}

function resolved(body: Body): Body {
  const out = structuredClone(body);
  out.status = 'resolved';
  for (const a of out.alerts) Object.assign(a, { status: 'resolved', endsAt: '2026-12-01T04:00:00Z' });
  return out;
}

const idsOf = (b: Body) => b.alerts.map((a) => a.labels.instance!);
const live = (messages: StoredMessage[]) => messages.filter((m) => m.deletedAt === undefined);
const names = (m: StoredMessage, b: Body) => idsOf(b).some((id) => JSON.stringify(m.body).includes(id));

describe('packed and digest messages are views of their groups, against the emulator', () => {
  let emulator: Emulator;
  let storm: WebhookHandle;
  let parts: WebhookHandle;
  let service: TestService;
  const groups = Array.from({ length: 40 }, (_, g) => group(`Storm${g}`, 5));

  beforeAll(async () => {
    // A tight channel window makes a backlog: digests and packing turn on.
    emulator = await startEmulator({
      channelLimit: { limit: 4, windowMs: 3000 },
      webhookLimit: { limit: 50, windowMs: 2000 },
    });
    storm = emulator.createWebhook();
    parts = emulator.createWebhook();
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        rate_limit: { channel_messages: 4, channel_window: '3s', critical_reserve: 0 },
        delivery: { digest_after: '2s' },
        targets: { storm: { webhook_url: storm.url }, parts: { webhook_url: parts.url } },
        routes: [
          { path: 'storm', targets: ['storm'] },
          { path: 'parts', targets: ['parts'] },
        ],
      }),
    );
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  it('fires 200 alerts in 40 groups: packed into messages that each show several groups', async () => {
    for (const body of groups) expect((await service.post(body, { path: '/alerts/storm' })).status).toBe(200);
    await eventually(() => expect(service.delivery.queued).toBe(0), 60_000);
    const state = channelState(emulator.messagesFor(storm.id));
    expect(state.named).toEqual(groups.flatMap(idsOf).sort());
    const packed = emulator.messagesFor(storm.id).filter((m) => groups.filter((g) => names(m, g)).length > 1);
    expect(packed.length).toBeGreaterThan(0);
  }, 90_000);

  it('edits a packed message when one of its groups resolves: that group green, the others unchanged', async () => {
    const message = emulator.messagesFor(storm.id).find((m) => groups.filter((g) => names(m, g)).length > 2)!;
    const [first, ...others] = groups.filter((g) => names(message, g));
    const before = structuredClone(message.body.embeds) as { color?: number }[];
    const othersBefore = before.filter((e) => !idsOf(first!).some((id) => JSON.stringify(e).includes(id)));
    await service.post(resolved(first!), { path: '/alerts/storm' });
    await eventually(() => expect(message.edits).toBe(1));
    await eventually(() => expect(service.delivery.queued).toBe(0));
    const state = channelState(emulator.messagesFor(storm.id));
    expect(state.firing.filter((id) => idsOf(first!).includes(id))).toEqual([]);
    expect(state.named).toEqual(expect.arrayContaining(idsOf(first!)));
    const embeds = message.body.embeds as { color?: number }[];
    const othersAfter = embeds.filter((e) => !idsOf(first!).some((id) => JSON.stringify(e).includes(id)));
    for (const g of others) expect(names(message, g)).toBe(true);
    expect(othersAfter).toEqual(othersBefore);
  }, 30_000);

  it('a packed message deleted by hand is posted anew on the next change: its other groups edit the new one', async () => {
    // A packed message none of whose groups changed yet.
    const message = live(emulator.messagesFor(storm.id)).find(
      (m) => m.edits === 0 && groups.filter((g) => names(m, g)).length > 2,
    )!;
    const members = groups.filter((g) => names(message, g));
    message.deletedAt = Date.now(); // someone deletes it in Discord
    await service.post(resolved(members[0]!), { path: '/alerts/storm' });
    await eventually(() =>
      expect(live(emulator.messagesFor(storm.id)).filter((m) => names(m, members[1]!))).toHaveLength(1),
    );
    const anew = live(emulator.messagesFor(storm.id)).find((m) => names(m, members[1]!))!;
    for (const g of members) expect(names(anew, g)).toBe(true);
    const posts = emulator.requests.length;
    await service.post(resolved(members[1]!), { path: '/alerts/storm' });
    await eventually(() => expect(anew.edits).toBe(1));
    await eventually(() => expect(service.delivery.queued).toBe(0));
    // Edited where it lives now: no new message for it, nothing of the view left firing but the rest.
    expect(emulator.requests.slice(posts).map((r) => r.method)).toEqual(['PATCH']);
    const state = channelState(emulator.messagesFor(storm.id));
    expect(state.firing.filter((id) => [...idsOf(members[0]!), ...idsOf(members[1]!)].includes(id))).toEqual([]);
    expect(state.firing).toEqual(expect.arrayContaining(members.slice(2).flatMap(idsOf)));
  }, 30_000);

  it('resolves every group: no message shows an alert firing, none is left naming no alert', async () => {
    for (const body of groups) await service.post(resolved(body), { path: '/alerts/storm' });
    await eventually(() => expect(service.delivery.queued).toBe(0), 60_000);
    const state = channelState(emulator.messagesFor(storm.id));
    expect(state.firing).toEqual([]);
    expect(state.named).toEqual(groups.flatMap(idsOf).sort());
    expect(state.empty).toBe(0);
    expect(emulator.counts().status400).toBe(0);
    expect(service.delivery.deadLetters.total).toBe(0);
  }, 90_000);

  it('deletes a part the group no longer needs: from 2 parts to 1, the second message is gone', async () => {
    const big = group('Shrinks', 12);
    await service.post(big, { path: '/alerts/parts' });
    await eventually(() => expect(live(emulator.messagesFor(parts.id))).toHaveLength(2));
    const [, second] = emulator.messagesFor(parts.id);
    const small = structuredClone(big);
    small.alerts = small.alerts.slice(0, 2);
    await service.post(small, { path: '/alerts/parts' });
    await eventually(() => expect(second!.deletedAt).toBeDefined());
    expect(live(emulator.messagesFor(parts.id))).toHaveLength(1);
    const deletes = emulator.requests.filter((r) => r.webhookId === parts.id && r.method === 'DELETE');
    expect(deletes.map((r) => r.status)).toEqual([204]);
  }, 30_000);
});
