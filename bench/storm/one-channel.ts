import { resolveConfig } from '../../src/config/load.js';
import { startService, type RunningService } from '../../src/main.js';
import { startEmulator, type Emulator } from '../../test/emulator/index.js';
import type { Limits } from './floor.js';

export interface OneChannel {
  emulator: Emulator;
  service: RunningService;
}

/** alertcord with one target, posting into one emulated channel that has Discord's limits. */
export async function oneChannel(limits: Limits, reserve: number, log: (line: string) => void): Promise<OneChannel> {
  const emulator = await startEmulator({
    webhookLimit: limits.webhook,
    channelLimit: limits.channel,
    globalLimit: limits.global,
  });
  const hook = emulator.createWebhook();
  const loaded = resolveConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      log: { level: 'warn' },
      discord: { api_base_url: emulator.url },
      delivery: { drain_timeout: '1s' },
      rate_limit: { critical_reserve: reserve },
      targets: { storm: { webhook_url: hook.url } },
      routes: [{ targets: ['storm'] }],
    },
    {},
    'bench',
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const service = await startService({ config: loaded.config, logSink: { write: log } });
  return { emulator, service };
}
