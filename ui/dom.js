// @ts-check
/**
 * A tiny element builder. Text always goes in as text nodes: nothing from the server or the
 * user is ever parsed as HTML.
 *
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{ class?: string, attrs?: Record<string, string> }} [props]
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el;
}

/** An http(s) URL or undefined: nothing else becomes a link target. */
export function safeHref(/** @type {string | undefined} */ raw) {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link that opens elsewhere and tells the target nothing about this page. */
export function externalLink(/** @type {string} */ href, /** @type {(Node | string)[]} */ children, cls = '') {
  return h('a', { class: cls, attrs: { href, target: '_blank', rel: 'noopener noreferrer' } }, children);
}
