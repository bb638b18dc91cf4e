// @ts-check
/** The template preview: payload in, the messages delivery would send out, with their limits. */
import { byId, h } from './dom.js';
import { messageView } from './discord-view.js';

/** @typedef {import('../src/server/render-response.js').RenderResponse} RenderResponse */
/** @typedef {import('../src/discord/limit-usage.js').LimitUsage} LimitUsage */
/** @typedef {import('../src/render/fit-result.js').FitCut} FitCut */
/** @typedef {{ error: string, issues: { path: string, message: string }[] }} ApiError */
/** @typedef {{ name: string, payload: unknown }} Sample */

const API = '../api/v1';
const RENDER_DELAY_MS = 400;

const form = /** @type {HTMLFormElement} */ (byId('preview-form'));
const templateSelect = /** @type {HTMLSelectElement} */ (byId('template'));
const sampleSelect = /** @type {HTMLSelectElement} */ (byId('sample'));
const payloadInput = /** @type {HTMLTextAreaElement} */ (byId('payload'));
const problem = byId('payload-error');
const output = byId('render-output');
const summary = byId('render-summary');
const messages = byId('messages');
const limits = byId('limits');
const cuts = byId('cuts');
const json = byId('json');
const copyButton = /** @type {HTMLButtonElement} */ (byId('copy-json'));

/** @param {string} path @returns {Promise<unknown>} */
async function getJson(path) {
  const res = await fetch(`${API}/${path}`);
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.json();
}

function showProblem(/** @type {string} */ title, /** @type {ApiError['issues']} */ issues) {
  problem.replaceChildren(
    h('strong', {}, [title]),
    h(
      'ul',
      {},
      issues.map((i) => h('li', {}, [i.path ? h('code', {}, [i.path]) : null, i.path ? ': ' : null, i.message])),
    ),
  );
  problem.hidden = false;
  output.hidden = true;
  for (const el of [summary, messages, limits, cuts, json]) el.replaceChildren();
  copyButton.disabled = true;
}

function limitBar(/** @type {LimitUsage} */ u) {
  const ratio = u.max > 0 ? u.used / u.max : 0;
  const level = ratio >= 1 ? 'full' : ratio >= 0.8 ? 'high' : 'ok';
  const fill = h('span', { class: 'limit-fill' });
  fill.style.width = `${Math.min(100, ratio * 100).toFixed(1)}%`;
  return h('div', { class: `limit level-${level}`, attrs: { 'data-limit': u.limit, title: u.path } }, [
    h('span', { class: 'limit-name' }, [u.limit]),
    h('span', { class: 'limit-track' }, [fill]),
    h('span', { class: 'limit-value' }, [`${u.used} / ${u.max}`]),
  ]);
}

/** The fit step's rule for repeated embed urls (src/render/fit-rules.ts). */
const DISTINCT_URL = 'url distinct per message';

function cutText(/** @type {FitCut} */ c) {
  if (c.limit === DISTINCT_URL) {
    const change = c.action === 'dropped' ? 'link left out' : 'link given a #marker';
    return `${change}: it repeated an earlier embed's link, and Discord would not show this embed (${c.limit})`;
  }
  switch (c.action) {
    case 'split':
      return `split into ${c.count ?? 'several'} messages (${c.limit})`;
    case 'truncated':
      return `truncated to fit ${c.limit}`;
    case 'dropped':
      return c.count ? `${c.count} not shown (${c.limit})` : `left out (${c.limit})`;
    case 'replaced':
      return `replaced (${c.limit})`;
  }
}

function showResult(/** @type {RenderResponse} */ r) {
  problem.hidden = true;
  output.hidden = false;
  const n = r.messages.length;
  const counts = `${n} ${n === 1 ? 'message' : 'messages'} · ${r.cuts.length} fit ${r.cuts.length === 1 ? 'warning' : 'warnings'}`;
  summary.replaceChildren(h('span', {}, [`${counts} · template ${r.template}`]));
  if (r.templateError) {
    summary.append(
      h('p', { class: 'template-error', attrs: { role: 'alert' } }, [
        `Template "${templateSelect.value}" failed, rendered with "${r.template}": ${r.templateError}`,
      ]),
    );
  }
  const now = Date.now();
  messages.replaceChildren(...r.messages.map((m, index) => messageView(m, { index, of: n, sentAt: now })));
  limits.replaceChildren(
    ...r.usage.map((usage, i) =>
      h('div', { class: 'limit-group', attrs: { 'data-message': String(i) } }, [
        h('h3', {}, [`Message ${i + 1}`]),
        ...usage.map(limitBar),
      ]),
    ),
  );
  cuts.replaceChildren(
    ...(r.cuts.length === 0
      ? [h('li', { class: 'no-cuts' }, ['Nothing was cut: every message fits as rendered.'])]
      : r.cuts.map((c) => h('li', { class: `cut cut-${c.action}` }, [h('code', {}, [c.path]), ' ', cutText(c)]))),
  );
  json.textContent = JSON.stringify(r.messages, null, 2);
  copyButton.disabled = false;
}

let latest = 0;

async function render() {
  const seq = ++latest;
  /** @type {unknown} */
  let payload;
  try {
    payload = JSON.parse(payloadInput.value);
  } catch (err) {
    showProblem('Invalid JSON', [{ path: '', message: /** @type {Error} */ (err).message }]);
    return;
  }
  try {
    const res = await fetch(`${API}/render`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: templateSelect.value, payload }),
    });
    const answer = await res.json();
    if (seq !== latest) return; // a newer render is on its way
    if (res.ok) showResult(/** @type {RenderResponse} */ (answer));
    else showProblem(/** @type {ApiError} */ (answer).error, /** @type {ApiError} */ (answer).issues ?? []);
  } catch (err) {
    if (seq === latest) showProblem('Cannot reach alertcord', [{ path: '', message: String(err) }]);
  }
}

async function copyJson() {
  const text = json.textContent ?? '';
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard API on plain http from another host: select the text for Ctrl+C instead.
    getSelection()?.selectAllChildren(json);
    copyButton.textContent = 'Selected: press Ctrl+C';
    return;
  }
  copyButton.textContent = 'Copied';
  setTimeout(() => (copyButton.textContent = 'Copy JSON'), 1500);
}

/** Shown in the sample list once the payload no longer is the chosen sample. */
const EDITED = '';

function useSample(/** @type {Sample[]} */ samples) {
  const sample = samples.find((s) => s.name === sampleSelect.value);
  if (sample) payloadInput.value = JSON.stringify(sample.payload, null, 2);
}

export async function startPreview() {
  const [t, s] = await Promise.all([getJson('templates'), getJson('samples')]);
  const { templates } = /** @type {{ templates: string[] }} */ (t);
  const { samples } = /** @type {{ samples: Sample[] }} */ (s);
  templateSelect.replaceChildren(...templates.map((t) => h('option', { attrs: { value: t } }, [t])));
  templateSelect.value = templates.includes('default') ? 'default' : (templates[0] ?? '');
  sampleSelect.replaceChildren(
    ...samples.map((s) => h('option', { attrs: { value: s.name } }, [s.name])),
    h('option', { attrs: { value: EDITED } }, ['(your own JSON)']),
  );
  useSample(samples);

  let timer = 0;
  payloadInput.addEventListener('input', () => {
    sampleSelect.value = EDITED;
    clearTimeout(timer);
    timer = window.setTimeout(render, RENDER_DELAY_MS);
  });
  sampleSelect.addEventListener('change', () => {
    useSample(samples);
    void render();
  });
  templateSelect.addEventListener('change', () => void render());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    void render();
  });
  copyButton.addEventListener('click', () => void copyJson());
  await render();
}
