/**
 * Discord's Components V2 rules for a webhook not owned by an application, from the docs
 * (developers/components/reference.mdx, changelog 2025-04-22), written apart from the app's
 * schema for the same reason as validate.ts. The spec encodes each component's own shape; it
 * does not encode what is checked here: the flag's exclusivity, the totals over the whole
 * message, and that such a webhook may send link buttons only.
 */
import type { ErrorPath, FormErrors } from './form-errors.js';

export const COMPONENTS_V2 = 1 << 15;

export const V2_LIMITS = {
  components: 40,
  textTotal: 4000,
  buttonLabel: 80,
  buttonUrl: 512,
} as const;

const TEXT_DISPLAY = 10;
const BUTTON = 2;
const LINK_STYLE = 5;
/** What the flag refuses beside it (stickers cannot come from a webhook). */
const LEGACY_FIELDS = ['content', 'embeds', 'poll'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown): boolean => v !== undefined && v !== null;

export const isV2 = (flags: unknown): boolean => typeof flags === 'number' && (flags & COMPONENTS_V2) !== 0;

interface Tally {
  count: number;
  text: number;
}

/** Counts `c` and everything nested in it: container and row `components`, a section's texts and accessory. */
function walk(e: FormErrors, c: unknown, at: ErrorPath, tally: Tally): void {
  if (!isObj(c)) return;
  tally.count++;
  if (c.type === TEXT_DISPLAY && typeof c.content === 'string') tally.text += c.content.trim().length;
  if (c.type === BUTTON) checkButton(e, c, at);
  if (Array.isArray(c.components)) c.components.forEach((n, k) => walk(e, n, [...at, 'components', k], tally));
  if (c.accessory !== undefined) walk(e, c.accessory, [...at, 'accessory'], tally);
}

function checkButton(e: FormErrors, b: Obj, at: ErrorPath): void {
  if (present(b.custom_id) || b.style !== LINK_STYLE) {
    e.add(at, 'COMPONENT_INVALID_INTERACTIVE', 'Webhooks not owned by an application can only send link buttons.');
  }
  if (typeof b.url !== 'string' || b.url.trim() === '')
    e.add([...at, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
  else if (b.url.length > V2_LIMITS.buttonUrl) {
    e.add([...at, 'url'], 'BASE_TYPE_MAX_LENGTH', `Must be ${V2_LIMITS.buttonUrl} or fewer in length.`);
  } else if (!/^https?:\/\/[^/\s]/i.test(b.url))
    e.add([...at, 'url'], 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
  if (typeof b.label === 'string' && b.label.trim().length > V2_LIMITS.buttonLabel) {
    e.add([...at, 'label'], 'BASE_TYPE_MAX_LENGTH', `Must be ${V2_LIMITS.buttonLabel} or fewer in length.`);
  }
}

/**
 * Adds what breaks the V2 rules in `body`, whose components count (the request had
 * `with_components=true`). `stored`: for an edit, the message as it is, whose flag stays.
 */
export function checkComponentsV2(e: FormErrors, body: Obj, stored?: Obj): void {
  const flagged = isV2(body.flags) || (stored !== undefined && isV2(stored.flags));
  if (stored !== undefined && isV2(stored.flags) && typeof body.flags === 'number' && !isV2(body.flags)) {
    e.add(['flags'], 'MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG', 'The IS_COMPONENTS_V2 flag cannot be removed.');
  }
  if (flagged) {
    for (const key of LEGACY_FIELDS) {
      // Converting a message to V2 by an edit needs its old content and embeds set to null.
      const kept =
        key in body ? present(body[key]) : stored !== undefined && !isV2(stored.flags) && present(stored[key]);
      if (kept) {
        e.add(
          [key],
          'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
          `The '${key}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2`,
        );
      }
    }
  }
  if (!Array.isArray(body.components)) return;
  if (!flagged) {
    // Legacy components: action rows of buttons only.
    body.components.forEach((c, i) => {
      if (isObj(c) && c.type !== 1) {
        e.add(['components', i, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      }
    });
  }
  const tally: Tally = { count: 0, text: 0 };
  body.components.forEach((c, i) => walk(e, c, ['components', i], tally));
  if (tally.count > V2_LIMITS.components) {
    e.add(
      ['components'],
      'COMPONENT_LAYOUT_TOTAL_COMPONENTS_EXCEEDED',
      `Must be ${V2_LIMITS.components} or fewer components in total.`,
    );
  }
  if (tally.text > V2_LIMITS.textTotal) {
    e.add(
      ['components'],
      'COMPONENT_LAYOUT_TOTAL_TEXT_EXCEEDED',
      `Text displays must be ${V2_LIMITS.textTotal} or fewer characters in total.`,
    );
  }
}
