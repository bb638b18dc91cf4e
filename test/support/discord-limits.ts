import type { DiscordMessage } from '../../src/discord/message.js';
import { FormErrors } from '../emulator/form-errors.js';
import { checkComponentsV2, isV2 } from '../emulator/validate-components.js';

// ---------------------------------------------------------------------------------------------
// An independent reading of Discord's limits (docs: message.mdx, webhook.mdx), so the tests do
// not only trust the app's own schema.
// ---------------------------------------------------------------------------------------------
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MESSAGE_KEYS = new Set([
  'content',
  'username',
  'avatar_url',
  'embeds',
  'allowed_mentions',
  'flags',
  'components',
  'thread_name',
  'applied_tags',
]);
const EMBED_KEYS = new Set([
  'title',
  'description',
  'url',
  'timestamp',
  'color',
  'footer',
  'author',
  'thumbnail',
  'image',
  'fields',
]);

/** Every way `m` breaks Discord's documented limits, or hides an embed from the client; [] when it is valid. */
export function independentProblems(m: DiscordMessage): string[] {
  const bad: string[] = [];
  const n = (s: unknown) => (typeof s === 'string' ? s.trim().length : 0);
  const within = (what: string, s: unknown, min: number, max: number) => {
    if (typeof s !== 'string') bad.push(`${what}: not a string`);
    else if (n(s) < min || n(s) > max) bad.push(`${what}: length ${n(s)} outside ${min}..${max}`);
  };
  const link = (what: string, u: unknown) => {
    if (u === undefined) return;
    let ok = false;
    try {
      ok = typeof u === 'string' && /^https?:$/.test(new URL(u).protocol);
    } catch {
      ok = false;
    }
    if (!ok) bad.push(`${what}: not an http(s) URL`);
  };
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'string' && LONE.test(v)) bad.push(`${at}: lone surrogate`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(m, 'message');

  for (const k of Object.keys(m)) if (!MESSAGE_KEYS.has(k)) bad.push(`unknown key ${k}`);
  if (m.content !== undefined) within('content', m.content, 0, 2000);
  const embeds = m.embeds ?? [];
  const components = m.components ?? [];
  if (n(m.content) === 0 && embeds.length === 0 && (!isV2(m.flags) || components.length === 0))
    bad.push('empty message');
  // Components V2: the emulator's reading of the docs, itself written apart from the app.
  const v2 = new FormErrors();
  checkComponentsV2(v2, m as unknown as Record<string, unknown>);
  if (v2.count > 0) bad.push(`components V2: ${JSON.stringify(v2.tree)}`);
  if (components.length > 0 && !isV2(m.flags)) bad.push('components without the IS_COMPONENTS_V2 flag');
  if (embeds.length > 10) bad.push(`${embeds.length} embeds`);
  let total = 0;
  // The client shows a second embed of the same url as an image only: its alert is not seen.
  const urls = embeds.flatMap((e) => (e.url === undefined ? [] : [e.url]));
  if (new Set(urls).size !== urls.length) bad.push('embeds repeat a url');
  embeds.forEach((e, i) => {
    const at = `embeds[${i}]`;
    for (const k of Object.keys(e)) if (!EMBED_KEYS.has(k)) bad.push(`${at}: unknown key ${k}`);
    if (e.title !== undefined) within(`${at}.title`, e.title, 0, 256);
    if (e.description !== undefined) within(`${at}.description`, e.description, 0, 4096);
    link(`${at}.url`, e.url);
    const ts = e.timestamp;
    if (ts !== undefined && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(ts) || Number.isNaN(Date.parse(ts)))) {
      bad.push(`${at}.timestamp`);
    }
    const color = e.color;
    if (color !== undefined && !(Number.isInteger(color) && color >= 0 && color <= 16777215)) bad.push(`${at}.color`);
    if (e.footer) {
      within(`${at}.footer.text`, e.footer.text, 1, 2048);
      link(`${at}.footer.icon_url`, e.footer.icon_url);
    }
    if (e.author) {
      within(`${at}.author.name`, e.author.name, 1, 256);
      link(`${at}.author.url`, e.author.url);
      link(`${at}.author.icon_url`, e.author.icon_url);
    }
    if (e.image) link(`${at}.image.url`, e.image.url);
    if (e.thumbnail) link(`${at}.thumbnail.url`, e.thumbnail.url);
    const fields = e.fields ?? [];
    if (fields.length > 25) bad.push(`${at}: ${fields.length} fields`);
    fields.forEach((f, j) => {
      within(`${at}.fields[${j}].name`, f.name, 1, 256);
      within(`${at}.fields[${j}].value`, f.value, 1, 1024);
    });
    const visible =
      n(e.title) > 0 || n(e.description) > 0 || fields.length > 0 || e.author || e.footer || e.image || e.thumbnail;
    if (!visible) bad.push(`${at}: nothing to show`);
    total += n(e.title) + n(e.description) + n(e.footer?.text) + n(e.author?.name);
    for (const f of fields) total += n(f.name) + n(f.value);
  });
  if (total > 6000) bad.push(`embeds total ${total}`);

  if (m.username !== undefined) {
    within('username', m.username, 1, 80);
    if (/discord|clyde/i.test(m.username) || /^(everyone|here)$/i.test(m.username.trim())) bad.push('username word');
  }
  link('avatar_url', m.avatar_url);
  if (m.flags !== undefined && !Number.isSafeInteger(m.flags)) bad.push('flags');
  if (m.thread_name !== undefined) within('thread_name', m.thread_name, 1, 100);
  if ((m.applied_tags?.length ?? 0) > 5) bad.push('applied_tags');
  const am = m.allowed_mentions;
  if (!am || !Array.isArray(am.parse)) bad.push('allowed_mentions missing');
  else {
    for (const t of am.parse) if (!['roles', 'users', 'everyone'].includes(t)) bad.push(`parse ${t}`);
    for (const t of ['roles', 'users'] as const) {
      const list = am[t];
      if (list === undefined) continue;
      if (am.parse.includes(t)) bad.push(`parse and ${t} both given`);
      if (list.length > 100 || list.some((id) => !/^\d{1,20}$/.test(id))) bad.push(`${t} ids`);
    }
  }
  return bad;
}
