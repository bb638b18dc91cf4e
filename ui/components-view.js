// @ts-check
/**
 * Components V2 as the Discord client draws them: a container is a card with its accent
 * colour as the bar on the left; text displays are markdown; a section puts its texts on the
 * left and its button on the right; an action row lays its buttons side by side; a separator
 * is a line or a gap. Link buttons open their url in a new tab, like the client's (which asks
 * first).
 */
import { externalLink, h, safeHref } from './dom.js';
import { markdown } from './markdown.js';

/** @typedef {import('../src/discord/components.js').Component} Component */
/** @typedef {import('../src/discord/components.js').InnerComponent} InnerComponent */
/** @typedef {import('../src/discord/components.js').LinkButton} LinkButton */

const hex = (/** @type {number} */ n) => `#${n.toString(16).padStart(6, '0')}`;

function buttonView(/** @type {LinkButton} */ b) {
  const href = safeHref(b.url);
  const label = [b.label, h('span', { class: 'link-icon', attrs: { 'aria-hidden': 'true' } }, [' ↗'])];
  return href
    ? externalLink(href, label, 'component-button')
    : h('span', { class: 'component-button broken', attrs: { title: b.url } }, label);
}

function textView(/** @type {string} */ content) {
  return h('div', { class: 'component-text' }, markdown(content));
}

/**
 * @param {Component | InnerComponent} c
 * @returns {HTMLElement | null}
 */
function componentView(c) {
  switch (c.type) {
    case 10:
      return textView(c.content);
    case 9:
      return h('div', { class: 'component-section' }, [
        h(
          'div',
          { class: 'component-section-texts' },
          c.components.map((t) => textView(t.content)),
        ),
        h('div', { class: 'component-accessory' }, [buttonView(c.accessory)]),
      ]);
    case 1:
      return h('div', { class: 'component-row' }, c.components.map(buttonView));
    case 14:
      return h('div', {
        class: `component-separator${c.divider === false ? '' : ' divider'}${c.spacing === 2 ? ' large' : ''}`,
      });
    case 17: {
      const card = /** @type {HTMLDivElement} */ (
        h(
          'div',
          { class: `component-container${c.accent_color === undefined ? '' : ' accent'}` },
          c.components.map(componentView),
        )
      );
      // CSSOM, not a style attribute: allowed by the page's CSP.
      if (c.accent_color !== undefined) card.style.borderLeftColor = hex(c.accent_color);
      return card;
    }
    default:
      return null;
  }
}

/** @param {readonly Component[]} components */
export function componentsView(components) {
  return h('div', { class: 'components' }, components.map(componentView));
}
