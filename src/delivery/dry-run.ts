import type { DiscordMessage } from '../discord/message.js';
import type { SendResult } from '../discord/send-result.js';

export interface LineWriter {
  write(line: string): unknown;
}

/** Dry-run: print each message that would go to Discord as one JSON line, and call it sent. */
export function dryRunSender(target: string, out: LineWriter): (message: DiscordMessage) => Promise<SendResult> {
  let counter = 0;
  return async (message) => {
    out.write(`${JSON.stringify({ dry_run: true, target, message })}\n`);
    counter += 1;
    return { kind: 'ok', status: 200, messageId: `dry-run-${counter}`, channelId: undefined, rateLimit: {} };
  };
}
