import type { TemplateSet } from './template-set.js';

/**
 * The template a target's messages are rendered with in a storm: the target's own choice,
 * else its template's `storm_template`, else the delivery default.
 */
export function stormTemplateOf(
  templates: TemplateSet,
  target: { template: string; digest?: { template?: string | undefined } | undefined },
  deliveryDefault: string,
): string {
  return target.digest?.template ?? templates.get(target.template)?.stormTemplate ?? deliveryDefault;
}

/**
 * Why a storm template cannot stand in for the target's template, or undefined. A group's
 * message is edited into its storm format and back, and Discord never lets a Components V2
 * message drop its flag, nor an embed message take components beside its embeds: both
 * templates must be of one kind.
 */
export function stormTemplateProblem(templates: TemplateSet, template: string, storm: string): string | undefined {
  const main = templates.get(template);
  const digest = templates.get(storm);
  if (!main) return undefined;
  if (!digest) return `unknown storm template "${storm}" (known: ${templates.names().join(', ')})`;
  const v2 = (t: typeof main) => t.components !== undefined;
  if (v2(main) === v2(digest)) return undefined;
  return `storm template "${storm}" ${v2(digest) ? 'sends components' : 'sends embeds'}, template "${template}" ${
    v2(main) ? 'components' : 'embeds'
  }: a message cannot change between the two`;
}
