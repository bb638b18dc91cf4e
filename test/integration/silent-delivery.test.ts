import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const hhmm = (minutes: number) => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

describe('outside active hours with deliver-silent', () => {
  let emulator: Emulator;
  let service: TestService;
  const hook = () => emulator.createWebhook();

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await service?.shutdown();
    await emulator.close();
  });

  it('posts with SUPPRESS_NOTIFICATIONS; inside the window without it', async () => {
    const quiet = hook();
    const open = hook();
    const now = new Date();
    const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
    // a window starting two hours from now (UTC) is certainly closed now; the other is open
    const closed = { start_time: hhmm(minute + 120), end_time: hhmm(minute + 180) };
    const window = (times: { start_time: string; end_time: string }) => ({
      times: [times.start_time < times.end_time ? times : { start_time: '00:00', end_time: '00:01' }],
      outside: 'deliver-silent' as const,
    });
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        targets: {
          quiet: { webhook_url: quiet.url, active_hours: window(closed) },
          open: { webhook_url: open.url, active_hours: { outside: 'deliver-silent' } },
        },
        routes: [{ targets: ['quiet', 'open'] }],
      }),
    );
    expect((await service.post(fixture('firing'))).status).toBe(200);
    await eventually(() => {
      expect(emulator.messagesFor(quiet.id)).toHaveLength(1);
      expect(emulator.messagesFor(open.id)).toHaveLength(1);
    });
    expect(emulator.messagesFor(quiet.id)[0]?.body.flags).toBe(1 << 12);
    expect(emulator.messagesFor(open.id)[0]?.body.flags).toBeUndefined();
  });
});
