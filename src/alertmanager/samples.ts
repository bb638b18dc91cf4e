import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNotification } from './payload.js';

/** Sample payloads the preview page offers: `samples/` at the package root, shipped with it. */
export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../samples');

export interface Sample {
  name: string;
  /** The payload as Alertmanager sends it, unparsed, so the page shows it as written. */
  payload: unknown;
}

/** Reads every `*.json` in the directory; a sample that is not a valid payload is a packaging bug. */
export function loadSamples(dir: string = SAMPLES_DIR): Sample[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const payload: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const parsed = parseNotification(payload);
      if (!parsed.ok) {
        const first = parsed.issues[0];
        throw new Error(`sample ${file} is not a valid Alertmanager payload: ${first?.path}: ${first?.message}`);
      }
      return { name: basename(file, '.json'), payload };
    });
}
