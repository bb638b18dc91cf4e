import { pino, type Logger, type LevelWithSilent } from 'pino';
import { redactWebhookTokens } from '../discord/webhook.js';

export type { Logger };

export interface LogSink {
  write(line: string): void;
}

/**
 * Every log line passes through token redaction on its way out, whatever field or error
 * message carried a webhook URL: redaction by construction, not by discipline.
 */
export function createLogger(level: LevelWithSilent, sink: LogSink = process.stderr): Logger {
  return pino(
    { level, base: { service: 'alertcord' }, timestamp: pino.stdTimeFunctions.isoTime },
    { write: (line: string) => sink.write(redactWebhookTokens(line)) },
  );
}
