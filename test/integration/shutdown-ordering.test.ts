import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { startTestService, testConfig, type TestService } from '../support/service.js';

// Monday 2026-03-02 04:00 in Los Angeles: outside business hours, so the night route holds.
const NIGHT = Date.parse('2026-03-02T12:00:00Z');
const businessLA = {
  time_zone: 'America/Los_Angeles',
  weekdays: ['monday:friday'],
  times: [{ start_time: '09:00', end_time: '17:00' }],
  outside: 'hold' as const,
};

/** A raw HTTP/1.1 request whose body is sent in two writes, so it can straddle the shutdown. */
function slowPost(url: string, body: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const answer = new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST /alerts HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body.slice(0, half)}`,
  );
  return { rest: () => socket.end(body.slice(half)), answer };
}

let emulator: Emulator | undefined;
let service: TestService | undefined;

afterAll(async () => {
  await emulator?.close();
});

describe('shutdown', () => {
  it('answers 503 + Retry-After to a notification that arrives after the router stopped, instead of holding it; what was held is dead-lettered', async () => {
    emulator = await startEmulator();
    const clock = new FakeClock(NIGHT);
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        targets: { day: { webhook_url: emulator.createWebhook().url }, night: { dry_run: true } },
        routes: [
          { matchers: ['shift="day"'], targets: ['day'] },
          { targets: ['night'], active_hours: businessLA },
        ],
      }),
      clock,
    );
    // A message Discord keeps failing keeps the drain (and the server) going while the clock stands.
    emulator.setFaults({ serverErrorRate: 1 });
    const day = fixture('firing');
    day.alerts = day.alerts.map((a) => ({ ...a, labels: { ...(a.labels as object), shift: 'day' } }));
    expect((await service.post(day)).status).toBe(200);

    const held = fixture('firing');
    held.groupKey = '{}:{alertname="HeldAtNight"}';
    expect((await service.post(held)).status).toBe(200);
    expect(service.router.held.size).toBe(2);

    const late = slowPost(service.url, JSON.stringify(fixture('firing')));
    // Let the server take the headers first: the request is in flight when the shutdown begins.
    await new Promise((r) => setTimeout(r, 100));
    const stopping = service.shutdown();
    late.rest();
    const answer = await late.answer;

    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toMatch(/\r\nretry-after: 30\r\n/i);
    expect(answer).toContain('shutting down, retry later');
    expect(service.router.held.size).toBe(0);
    // What was held before is not forgotten without a trace: it is a dead letter.
    expect(service.delivery.deadLetters.list()).toContainEqual(
      expect.objectContaining({ target: 'night', reason: 'shutdown', groupKey: held.groupKey }),
    );

    await clock.advance(60_000);
    await stopping;
  });
});
