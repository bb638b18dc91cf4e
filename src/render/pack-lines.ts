import { LIMITS } from '../discord/limits.js';
import type { FitCut } from './fit-result.js';
import type { EmbedDraft } from './message-draft.js';
import { truncate } from './truncate.js';

/** A digest header is cut here, so the lines keep most of each embed. */
export const DIGEST_HEADER_MAX = 1024;
/**
 * Pages are sized so that two share one message (6000 in total): a message then carries
 * about 5,900 characters of lines instead of one 4096 description.
 */
const PAIR_TOTAL = LIMITS.embedTotal / 2;
/** Below this, pairing would make pages too small to be worth it: one page per message. */
const MIN_PAIRED_LINES = 1000;

const LIMIT_HEADER = `digest header ${DIGEST_HEADER_MAX}`;
const LIMIT_LINE = 'digest line fits one embed';

const len = (s: unknown): number => (typeof s === 'string' ? s.trim().length : 0);

/**
 * Expands a digest draft (`lines` set; its `description` is the header) into as many embeds as
 * its lines need: every embed within Discord's limits, lines in order, none split across two
 * embeds; a line longer than a whole page is cut alone. So no alert of a storm goes unnamed.
 * Any other draft comes back as it is.
 */
export function packLines(d: EmbedDraft, path: string, cuts: FitCut[]): EmbedDraft[] {
  const { lines, ...rest } = d;
  if (lines === undefined) return [d];

  let header = typeof d.description === 'string' ? d.description.trim() : '';
  if (header.length > DIGEST_HEADER_MAX) {
    header = truncate(header, DIGEST_HEADER_MAX);
    cuts.push({ path: `${path}.description`, limit: LIMIT_HEADER, action: 'truncated' });
  }
  const headerLength = header ? header.length + 1 : 0;
  // What fitting may leave of the parts repeated on every page.
  const overhead =
    Math.min(len(d.title), LIMITS.title) +
    Math.min(len(d.footer?.text), LIMITS.footerText) +
    Math.min(len(d.author?.name), LIMITS.authorName) +
    headerLength;
  const paired = PAIR_TOTAL - overhead;
  const budget = Math.min(
    LIMITS.description - headerLength,
    paired >= MIN_PAIRED_LINES ? paired : LIMITS.embedTotal - overhead,
  );

  const pages: string[] = [];
  let page = '';
  lines.forEach((raw, j) => {
    if (typeof raw !== 'string') return;
    let line = raw.trim();
    if (line === '') return;
    if (line.length > budget) {
      line = truncate(line, budget);
      cuts.push({ path: `${path}.lines[${j}]`, limit: LIMIT_LINE, action: 'truncated' });
    }
    if (page === '') page = line;
    else if (page.length + 1 + line.length <= budget) page += `\n${line}`;
    else {
      pages.push(page);
      page = line;
    }
  });
  if (page !== '') pages.push(page);
  if (pages.length === 0) return [rest];
  return pages.map((p) => ({ ...rest, description: header ? `${header}\n${p}` : p }));
}
