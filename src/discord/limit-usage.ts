import { componentCount, textDisplayLength } from './components.js';
import { LIMITS } from './limits.js';
import { discordLength, embedsTotalLength, type DiscordMessage, type Embed } from './message.js';

/** How much of one Discord limit a message uses; for per-embed limits, its fullest embed. */
export interface LimitUsage {
  /** e.g. "embed characters", "description". */
  limit: string;
  used: number;
  max: number;
  /** Where the fullest instance is, e.g. "embeds[2].description"; empty for per-message limits. */
  path: string;
}

type Measure = (e: Embed, i: number) => { used: number; path: string };

const PER_EMBED: readonly [string, number, Measure][] = [
  ['title', LIMITS.title, (e, i) => ({ used: discordLength(e.title), path: `embeds[${i}].title` })],
  [
    'description',
    LIMITS.description,
    (e, i) => ({ used: discordLength(e.description), path: `embeds[${i}].description` }),
  ],
  ['fields', LIMITS.fieldsPerEmbed, (e, i) => ({ used: e.fields?.length ?? 0, path: `embeds[${i}].fields` })],
  [
    'field value',
    LIMITS.fieldValue,
    (e, i) =>
      (e.fields ?? []).reduce(
        (best, f, j) => {
          const used = discordLength(f.value);
          return used > best.used ? { used, path: `embeds[${i}].fields[${j}].value` } : best;
        },
        { used: 0, path: `embeds[${i}].fields` },
      ),
  ],
  ['footer', LIMITS.footerText, (e, i) => ({ used: discordLength(e.footer?.text), path: `embeds[${i}].footer.text` })],
];

/** What the preview's limit bars show: the message-wide limits, then the fullest embed's. */
export function limitUsage(m: DiscordMessage): LimitUsage[] {
  const embeds = m.embeds ?? [];
  const usage: LimitUsage[] = [
    { limit: 'embed characters', used: embedsTotalLength(embeds), max: LIMITS.embedTotal, path: '' },
    { limit: 'embeds', used: embeds.length, max: LIMITS.embedsPerMessage, path: '' },
    { limit: 'content', used: discordLength(m.content), max: LIMITS.content, path: '' },
  ];
  if (m.components !== undefined) {
    // A Components V2 message: its own totals, nested components included.
    usage.push(
      { limit: 'components', used: componentCount(m.components), max: LIMITS.componentsPerMessage, path: '' },
      {
        limit: 'text display characters',
        used: textDisplayLength(m.components),
        max: LIMITS.textDisplayTotal,
        path: '',
      },
    );
  }
  for (const [limit, max, measure] of PER_EMBED) {
    const fullest = embeds.map(measure).reduce((best, u) => (u.used > best.used ? u : best), { used: 0, path: '' });
    usage.push({ limit, max, ...fullest });
  }
  return usage;
}
