/**
 * Runs pathological cases in this process and prints one `RESULT <json>` line per case, for a
 * parent that can kill this process when a case blocks it for good (a regex that never ends).
 * Usage: tsx test/hostile/run-cases.ts --bytes N [--body-limit N] --cap MS name...
 */
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index.js';
import { specErrors } from '../emulator/spec-check.js';
import { measureCase } from './measure-case.js';
import { pathologicalCorpus } from './pathological.js';

const { values, positionals } = parseArgs({
  options: { bytes: { type: 'string' }, 'body-limit': { type: 'string' }, cap: { type: 'string' } },
  allowPositionals: true,
});
const limit = values['body-limit'];
const corpus = pathologicalCorpus(Number(values.bytes), limit === undefined ? undefined : Number(limit));
const emulator = await startEmulator();
// The emulator shares this process, and its spec validator compiles on first use (~0.5 s of
// blocked loop): compiled now, it is not charged to whichever case runs first.
specErrors({ content: 'warm-up' }, 'create');
specErrors({ content: 'warm-up' }, 'edit');
try {
  for (const name of positionals) {
    const c = corpus.find((x) => x.name === name);
    if (!c) throw new Error(`no case named ${name}`);
    process.stdout.write(`STARTED ${JSON.stringify(name)}\n`);
    const result = await measureCase(emulator, c, Number(values.cap));
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  }
} finally {
  await emulator.close();
}
