import type { ResolvedConfig } from '../config/load.js';
import { DiscordClient, type MessageSink } from '../discord/client.js';
import type { Metrics } from '../metrics/metrics.js';

/** The Discord client, counting every answer and its duration. */
export function discordSink(config: ResolvedConfig, metrics: Metrics): MessageSink {
  return new DiscordClient({
    apiBaseUrl: config.discord.api_base_url,
    timeoutMs: config.discord.request_timeout,
    onResponse: (webhook, status, seconds) => {
      metrics.discordRequests.inc({ webhook_id: webhook.id, code: String(status) });
      metrics.discordRequestDuration.observe(seconds);
    },
  });
}
