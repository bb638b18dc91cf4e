import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * The JSON Schema of the config file, for editors (autocompletion, checks as you type),
 * generated from the zod schema: the input side, so durations may be "5m" or seconds.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  // A section with only comments under it is null in YAML, and alertcord reads it as empty.
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  for (const section of Object.values(properties)) {
    if (section.type === 'object' && section !== properties.targets) section.type = ['object', 'null'];
  }
  return {
    $schema: schema.$schema,
    title: 'alertcord configuration',
    description: 'Routes Prometheus Alertmanager notifications to Discord webhooks. See config.example.yaml.',
    ...schema,
  };
}
