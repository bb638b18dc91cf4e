// @ts-check
/** The delivery status: polled every two seconds while the tab is shown. */
import { byId, h } from './dom.js';
import { duration, relativeTime } from './time.js';

/** @typedef {import('../src/server/status.js').StatusSnapshot} StatusSnapshot */
/** @typedef {import('../src/server/status.js').TargetStatus} TargetStatus */

const POLL_MS = 2000;
const PRIORITIES = /** @type {const} */ (['critical', 'high', 'normal', 'low']);

const updated = byId('status-updated');
const failure = byId('status-error');
const cards = byId('status-cards');
const targets = byId('targets');
const deliveries = byId('deliveries');
const deadLetters = byId('dead-letters');

const badge = (/** @type {string} */ text, /** @type {string} */ kind) => h('span', { class: `badge ${kind}` }, [text]);
const dash = () => h('span', { class: 'muted' }, ['—']);
const cell = (/** @type {(Node | string | null)[]} */ children, cls = '') => h('td', { class: cls }, children);

function card(/** @type {string} */ title, /** @type {(Node | string | null)[]} */ body, kind = '') {
  return h('div', { class: `card ${kind}` }, [h('div', { class: 'card-title' }, [title]), ...body]);
}

/** Times relative to the server's clock, so a skewed browser clock cannot mislead. */
function ago(/** @type {string} */ iso, /** @type {number} */ now) {
  return h('time', { attrs: { datetime: iso, title: new Date(iso).toString() } }, [relativeTime(Date.parse(iso), now)]);
}

function breakerCell(/** @type {TargetStatus} */ t) {
  if (t.webhookGone) return cell([badge('webhook gone', 'bad'), h('div', { class: 'detail' }, [t.webhookGone])]);
  if (t.dryRun) return cell([dash()]);
  const b = t.breaker;
  if (b.state === 'closed') return cell([badge('closed', 'good')]);
  return cell([
    badge(b.state === 'open' ? 'open' : 'half-open', b.state === 'open' ? 'bad' : 'warn'),
    b.reason ? h('div', { class: 'detail' }, [b.reason]) : null,
    b.retryInMs !== null ? h('div', { class: 'detail' }, [`trial in ${duration(b.retryInMs)}`]) : null,
  ]);
}

function bucketCell(/** @type {TargetStatus} */ t) {
  if (t.dryRun) return cell([h('span', { class: 'muted' }, ['dry-run'])]);
  if (!t.bucket) return cell([h('span', { class: 'muted' }, ['no request yet'])]);
  const { remaining, limit, resetInMs } = t.bucket;
  return cell([
    h('span', { class: remaining === 0 ? 'warn-text' : '' }, [`${remaining} / ${limit ?? '?'}`]),
    resetInMs > 0 ? h('div', { class: 'detail' }, [`resets in ${duration(resetInMs)}`]) : null,
  ]);
}

function targetRow(/** @type {TargetStatus} */ t) {
  const depth = PRIORITIES.map((p) => {
    const n = t.queue.depth[p];
    return cell([String(n)], `num ${n > 0 ? `queued prio-${p}` : 'muted'}`);
  });
  return h('tr', { attrs: { 'data-target': t.target, 'data-webhook': t.webhookId ?? '' } }, [
    cell([h('strong', {}, [t.target])]),
    cell([t.webhookId ? h('code', {}, [t.webhookId]) : dash()]),
    breakerCell(t),
    bucketCell(t),
    ...depth,
    cell([t.queue.oldestAgeMs === null ? dash() : duration(t.queue.oldestAgeMs)], 'num oldest'),
  ]);
}

const RESULT_KIND = /** @type {Record<string, string>} */ ({
  ok: 'good',
  rateLimited: 'warn',
  retryable: 'warn',
  gone: 'bad',
  rejected: 'bad',
  unknownMessage: 'warn',
  archived: 'warn',
});

function showCards(/** @type {StatusSnapshot} */ s, /** @type {number} */ now) {
  const c = s.config;
  const hb = s.heartbeat;
  cards.replaceChildren(
    card('Queue', [
      h('div', { class: 'card-value' }, [`${s.queue.total}`]),
      h('div', { class: 'detail' }, [`of ${s.queue.limit} messages`]),
    ]),
    card(
      'Dead letters',
      [h('div', { class: 'card-value' }, [`${s.deadLetters.total}`]), h('div', { class: 'detail' }, ['since start'])],
      s.deadLetters.total > 0 ? 'bad' : '',
    ),
    card(
      'Config',
      [
        h('div', { class: 'card-value small' }, [h('code', {}, [c.version])]),
        h('div', { class: 'detail' }, [c.source]),
        h('div', { class: 'detail' }, [
          c.lastReload.ok ? badge('loaded', 'good') : badge('reload failed', 'bad'),
          ' ',
          ago(c.lastReload.at, now),
        ]),
        c.lastReload.error ? h('div', { class: 'detail' }, [c.lastReload.error]) : null,
      ],
      c.lastReload.ok ? '' : 'bad',
    ),
    hb
      ? card(
          `Heartbeat · ${hb.alertname}`,
          [
            h('div', { class: 'card-value small' }, [hb.silent ? badge('SILENT', 'bad') : badge('OK', 'good')]),
            h(
              'div',
              { class: 'detail' },
              hb.lastSeen ? ['last seen ', ago(hb.lastSeen, now)] : ['not seen since start'],
            ),
            h('div', { class: 'detail' }, [`timeout ${duration(hb.timeoutMs)}`]),
          ],
          hb.silent ? 'bad' : '',
        )
      : card('Heartbeat', [h('div', { class: 'card-value small muted' }, ['not configured'])]),
    clusterCard(s.cluster),
  );
}

/** Which replica dispatches (Redis mode), and the intake stream's backlog. */
function clusterCard(/** @type {StatusSnapshot['cluster']} */ cl) {
  if (cl.role === 'single')
    return card('Cluster', [
      h('div', { class: 'card-value small' }, [badge('single', '')]),
      h('div', { class: 'detail' }, ['one process, no Redis']),
    ]);
  const leaderless = cl.leaseHolder === null;
  return card(
    'Cluster',
    [
      h('div', { class: 'card-value small' }, [badge(cl.role, cl.role === 'dispatcher' ? 'good' : '')]),
      h('div', { class: 'detail' }, [leaderless ? 'no dispatcher holds the lease' : `dispatcher ${cl.leaseHolder}`]),
      h('div', { class: 'detail' }, [`stream ${cl.streamLength} · pending ${cl.pending}`]),
    ],
    leaderless ? 'bad' : '',
  );
}

function show(/** @type {StatusSnapshot} */ s) {
  const now = Date.parse(s.generatedAt);
  showCards(s, now);
  targets.replaceChildren(...s.targets.map(targetRow));
  deliveries.replaceChildren(
    ...(s.recentDeliveries.length === 0
      ? [h('tr', {}, [h('td', { class: 'muted', attrs: { colspan: '7' } }, ['nothing sent yet'])])]
      : s.recentDeliveries.map((d) =>
          h('tr', { attrs: { 'data-target': d.target } }, [
            cell([ago(d.at, now)]),
            cell([d.target]),
            cell([d.webhookId ? h('code', {}, [d.webhookId]) : dash()]),
            cell([String(d.alerts)], 'num'),
            cell([duration(d.latencyMs)], 'num'),
            cell([badge(d.result, RESULT_KIND[d.result] ?? 'warn')]),
            cell([d.status === null ? dash() : String(d.status)], 'num'),
          ]),
        )),
  );
  deadLetters.replaceChildren(
    ...(s.deadLetters.recent.length === 0
      ? [h('tr', {}, [h('td', { class: 'muted', attrs: { colspan: '5' } }, ['none'])])]
      : s.deadLetters.recent.map((d) =>
          h('tr', { attrs: { 'data-target': d.target } }, [
            cell([ago(d.at, now)]),
            cell([d.target, d.webhookId ? h('div', { class: 'detail' }, [h('code', {}, [d.webhookId])]) : null]),
            cell([badge(d.reason, 'bad'), h('div', { class: 'detail' }, [d.detail])]),
            cell([h('code', { class: 'group-key' }, [d.groupKey])]),
            cell([
              h(
                'ul',
                { class: 'alert-ids' },
                d.alerts.map((a) =>
                  h('li', { attrs: { 'data-fingerprint': a.fingerprint } }, [
                    h('strong', {}, [a.alertname ?? '(no alertname)']),
                    ' ',
                    h('code', {}, [a.fingerprint]),
                    ' ',
                    badge(a.status, a.status === 'firing' ? 'warn' : 'good'),
                  ]),
                ),
              ),
            ]),
          ]),
        )),
  );
  updated.textContent = `Updated ${new Date(now).toLocaleTimeString()}`;
  updated.dataset.generatedAt = s.generatedAt;
}

let timer = 0;
let active = false;
/** Bumped on every switch, so a poll still in flight from before cannot start a second loop. */
let generation = 0;

async function poll(/** @type {number} */ gen) {
  try {
    const res = await fetch('../api/v1/status');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    show(/** @type {StatusSnapshot} */ (await res.json()));
    failure.hidden = true;
  } catch (err) {
    failure.textContent = `Cannot reach alertcord (${String(err)}); showing the last known status.`;
    failure.hidden = false;
  }
  if (active && gen === generation) timer = window.setTimeout(() => void poll(gen), POLL_MS);
}

/** Polls only while the status tab is shown and the page visible. */
export function setStatusActive(/** @type {boolean} */ on) {
  if (on === active) return;
  active = on;
  generation += 1;
  clearTimeout(timer);
  if (on) void poll(generation);
}
