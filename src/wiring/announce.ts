import type { ResolvedConfig } from '../config/load.js';
import { openReceiverWarning } from '../server/open-receiver.js';
import type { Logger } from '../shared/logger.js';

/** The start-up lines: where it listens, and what an operator should not overlook. */
export function announce(log: Logger, config: ResolvedConfig, url: string, address: string): void {
  log.info(
    { url, config: config.source, targets: [...config.targets.keys()], apiBaseUrl: config.discord.api_base_url },
    'alertcord listening',
  );
  const open = openReceiverWarning(address, config.receiverAuth !== undefined);
  if (open) log.warn({ address }, open);
  const dryRunTargets = [...config.targets.values()].filter((t) => t.dry_run).map((t) => t.name);
  if (dryRunTargets.length > 0) {
    log.warn(
      { targets: dryRunTargets },
      'DRY-RUN: messages for these targets are printed to stdout as JSON lines, not sent to Discord (set DISCORD_WEBHOOK_URL to deliver)',
    );
  }
}
