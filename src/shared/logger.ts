import { pino, type Logger, type LevelWithSilent } from 'pino';
import { redactWebhookTokens } from './redact-webhook-tokens.js';
import type { SecretRedactor } from './secret-redactor.js';

export type { Logger };

export interface LogSink {
  write(line: string): void;
}

/**
 * Every log line passes through token redaction on its way out, whatever field or error
 * message carried a webhook URL, and then through the config's secret values (a token or
 * password quoted anywhere): redaction by construction, not by discipline.
 */
export function createLogger(level: LevelWithSilent, sink: LogSink = process.stderr, secrets?: SecretRedactor): Logger {
  const redact = (line: string) => redactWebhookTokens(secrets ? secrets.redact(line) : line);
  return pino(
    { level, base: { service: 'alertcord' }, timestamp: pino.stdTimeFunctions.isoTime },
    { write: (line: string) => sink.write(redact(line)) },
  );
}
