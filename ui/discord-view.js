// @ts-check
/**
 * A Discord message as the Discord client shows it: avatar and name, content, and rich
 * embeds with their colour bar, author, linked title, description, inline fields in
 * columns, images and footer. External images are not loaded (the page's CSP allows our
 * own origin only); their place is marked with the URL instead. Like the client, it shows
 * only the first embed of each url in a message: a later one that repeats it lends the first
 * its image (Discord's gallery) and its text is not seen, so it is drawn collapsed.
 */
import { componentsView } from './components-view.js';
import { externalLink, h, safeHref } from './dom.js';
import { inline, markdown } from './markdown.js';
import { calendarTime } from './time.js';

/** @typedef {import('../src/discord/message.js').DiscordMessage} DiscordMessage */
/** @typedef {import('../src/discord/message.js').Embed} Embed */
/** @typedef {import('../src/discord/message.js').EmbedField} EmbedField */

/** Discord's bar colour for an embed without one. */
const NO_COLOR = '#1e1f22';
/** Inline fields per row: Discord puts up to three side by side. */
const PER_ROW = 3;

const hex = (/** @type {number} */ n) => `#${n.toString(16).padStart(6, '0')}`;

/** Consecutive inline fields share a row, up to three; any other field takes a row alone. */
export function fieldRows(/** @type {readonly EmbedField[]} */ fields) {
  /** @type {EmbedField[][]} */
  const rows = [];
  let row = /** @type {EmbedField[] | undefined} */ (undefined);
  for (const field of fields) {
    if (field.inline && row && row.length < PER_ROW) row.push(field);
    else {
      row = [field];
      rows.push(row);
      if (!field.inline) row = undefined;
    }
  }
  return rows;
}

function fieldsView(/** @type {readonly EmbedField[]} */ fields) {
  return h(
    'div',
    { class: 'embed-fields' },
    fieldRows(fields).map((row) =>
      h(
        'div',
        { class: `embed-field-row cols-${row.length}` },
        row.map((f) =>
          h('div', { class: `embed-field${f.inline ? ' inline' : ''}` }, [
            h('div', { class: 'embed-field-name' }, inline(f.name)),
            h('div', { class: 'embed-field-value' }, markdown(f.value)),
          ]),
        ),
      ),
    ),
  );
}

function placeholder(/** @type {string} */ kind, /** @type {string} */ url) {
  return h('div', { class: `embed-${kind}`, attrs: { title: url } }, [`${kind}: ${url}`]);
}

function embedView(/** @type {Embed} */ e) {
  const titleHref = safeHref(e.url);
  const title = e.title
    ? titleHref
      ? externalLink(titleHref, inline(e.title), 'embed-title linked')
      : h('div', { class: 'embed-title' }, inline(e.title))
    : null;
  const authorHref = safeHref(e.author?.url);
  const author = e.author
    ? h('div', { class: 'embed-author' }, [authorHref ? externalLink(authorHref, [e.author.name]) : e.author.name])
    : null;
  const footerParts = [e.footer?.text, e.timestamp ? calendarTime(Date.parse(e.timestamp)) : undefined].filter(
    (p) => p !== undefined && p !== '',
  );
  const footer = footerParts.length > 0 ? h('div', { class: 'embed-footer' }, [footerParts.join(' • ')]) : null;
  const article = h('article', { class: 'embed' }, [
    h('div', { class: 'embed-body' }, [
      author,
      title,
      e.description ? h('div', { class: 'embed-description' }, markdown(e.description)) : null,
      e.fields?.length ? fieldsView(e.fields) : null,
      e.image ? placeholder('image', e.image.url) : null,
      footer,
    ]),
    e.thumbnail ? placeholder('thumbnail', e.thumbnail.url) : null,
  ]);
  // CSSOM, not a style attribute: allowed by the page's CSP.
  article.style.borderLeftColor = e.color === undefined ? NO_COLOR : hex(e.color);
  return article;
}

/**
 * Which embeds of a message the client shows: the first of each url, and every one without.
 * @param {readonly Embed[]} embeds
 */
export function shownByClient(embeds) {
  const urls = new Set();
  return embeds.map((e) => {
    if (e.url === undefined) return true;
    if (urls.has(e.url)) return false;
    urls.add(e.url);
    return true;
  });
}

function hiddenView(/** @type {Embed} */ e, /** @type {number} */ index) {
  return h('div', { class: 'embed-hidden', attrs: { role: 'note', 'data-embed': String(index) } }, [
    `Not shown by Discord: embed ${index + 1} repeats the link of an earlier embed in this message`,
    e.title ? ` ("${e.title}")` : '',
    e.image ? ', only its image joins the earlier one.' : '.',
  ]);
}

/**
 * @param {DiscordMessage} m
 * @param {{ index: number, of: number, sentAt: number }} where
 */
export function messageView(m, where) {
  const name = m.username?.trim() || 'alertcord';
  const embeds = m.embeds ?? [];
  const shown = shownByClient(embeds);
  return h('div', { class: 'message', attrs: { 'data-message': String(where.index) } }, [
    h('div', { class: 'avatar', attrs: { 'aria-hidden': 'true' } }, [name.slice(0, 1).toUpperCase()]),
    h('div', { class: 'message-body' }, [
      h('div', { class: 'message-header' }, [
        h('span', { class: 'username' }, [name]),
        h('span', { class: 'app-badge' }, ['APP']),
        h('span', { class: 'message-time' }, [calendarTime(where.sentAt)]),
        where.of > 1 ? h('span', { class: 'message-part' }, [`message ${where.index + 1} of ${where.of}`]) : null,
      ]),
      m.content ? h('div', { class: 'message-content' }, markdown(m.content)) : null,
      ...embeds.map((e, i) => (shown[i] ? embedView(e) : hiddenView(e, i))),
      m.components?.length ? componentsView(m.components) : null,
    ]),
  ]);
}
