/** `npm run schema`: writes config.schema.json from the zod schema (a test keeps it current). */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { configJsonSchema } from '../src/config/json-schema.js';

const file = 'config.schema.json';
const text = await format(JSON.stringify(configJsonSchema()), { ...(await resolveConfig(file)), parser: 'json' });
writeFileSync(file, text);
process.stdout.write(`wrote ${file}\n`);
