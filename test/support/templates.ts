import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseNotification, type Notification } from '../../src/alertmanager/payload.js';
import { compileLeaf, createTemplateEnv } from '../../src/render/handlebars-env.js';
import type { HelperEnv } from '../../src/render/helpers.js';
import { fixture } from '../fixtures/index.js';

/** The clock of every rendering test: durations and "since" stay the same from run to run. */
export const FIXED_NOW = Date.parse('2026-11-28T00:30:00Z');
export const fixedEnv: HelperEnv = { now: () => FIXED_NOW };

/** A fresh templates directory holding `files` (paths relative to it, e.g. "partials/x.hbs"). */
export function templateDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'alertcord-templates-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Renders one leaf as a template would: markdown leaves escape their {{ }} output. */
export function leafRenderer(env: HelperEnv = fixedEnv) {
  const { hb, helperNames } = createTemplateEnv(env);
  return (source: string, context: unknown, markdown = true): string =>
    compileLeaf(hb, source, helperNames, new Set(), markdown).leaf(context);
}

/** A fixture (test/fixtures/ or samples/), parsed as the receiver parses it. */
export function notification(name: string): Notification {
  const parsed = parseNotification(fixture(name));
  if (!parsed.ok) throw new Error(`fixture ${name}: ${JSON.stringify(parsed.issues)}`);
  return parsed.notification;
}
