/**
 * The exact Discord JSON each shipped template renders for each sample payload, compared
 * with test/golden/<template>/<fixture>.json. After an intended change, rewrite them with
 *   UPDATE_GOLDEN=1 npx vitest run test/unit/render/golden.test.ts
 * and read the diff before committing it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discordMessageSchema } from '../../../src/discord/message.js';
import { renderMessages } from '../../../src/render/render-job.js';
import { loadTemplateSet } from '../../../src/render/template-set.js';
import { independentProblems } from '../../support/discord-limits.js';
import { fixedEnv, notification } from '../../support/templates.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const FIXTURES = [
  'firing',
  'resolved',
  'mixed',
  'single',
  'storm',
  'huge-annotations',
  'unicode',
  'markdown-mentions',
  'no-summary',
];

const templates = loadTemplateSet(fixedEnv);

describe.each(templates.names())('golden: %s', (template) => {
  it.each(FIXTURES)('%s', (name) => {
    const out = renderMessages(templates, { notification: notification(name), target: 'golden', template });
    expect(out.templateError).toBeUndefined();
    for (const m of out.messages) {
      expect(discordMessageSchema.safeParse(m).success).toBe(true);
      expect(independentProblems(m)).toEqual([]);
    }
    const actual = `${JSON.stringify(out.messages, null, 2)}\n`;
    const file = join(GOLDEN_DIR, template, `${name}.json`);
    if (UPDATE) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, actual);
    }
    expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
