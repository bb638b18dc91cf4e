import { z } from 'zod';

/**
 * A Components V2 template, written like the embed templates: YAML whose string leaves are
 * Handlebars, each placed into a component, never concatenated into JSON. Each item is one
 * kind of component, named by its key:
 *
 *   - container: {accent_color, components: [...]}   a card with a colour bar (type 17)
 *   - text: '...'                                    a text display (type 10), markdown
 *   - lines_for_each: firing, line: '...'            a digest: one line per alert, packed
 *                                                    into as many text displays as they need
 *   - section: {texts: ['...'], button: {...}}       1-3 texts with a link button beside (type 9)
 *   - buttons: [{label, url}, ...]                   an action row of link buttons (type 1)
 *   - separator: {divider, spacing}                  a line or gap (type 14)
 *
 * A button whose url renders empty is left out, so `url: '{{url annotations.runbook_url}}'`
 * shows a Runbook button only for alerts that have one.
 */
const leaf = z.string();
const flag = z.union([z.boolean(), z.string()]);
const scope = z.enum(['alerts', 'firing', 'resolved']);

const buttonTemplate = z.strictObject({ label: leaf, url: leaf, if: leaf.optional() });

export const KINDS = ['container', 'text', 'lines_for_each', 'section', 'buttons', 'separator'] as const;

export interface ComponentTemplateSource {
  for_each?: z.infer<typeof scope> | undefined;
  sort_by?: string | undefined;
  if?: string | undefined;
  container?:
    | {
        accent_color?: string | undefined;
        spoiler?: boolean | string | undefined;
        components: ComponentTemplateSource[];
      }
    | undefined;
  text?: string | undefined;
  lines_for_each?: z.infer<typeof scope> | undefined;
  line?: string | undefined;
  section?: { texts: string[]; button: z.infer<typeof buttonTemplate> } | undefined;
  buttons?: z.infer<typeof buttonTemplate>[] | undefined;
  separator?: { divider?: boolean | undefined; spacing?: 'small' | 'large' | undefined } | undefined;
}

export const componentTemplate: z.ZodType<ComponentTemplateSource> = z.lazy(() =>
  z
    .strictObject({
      /** Repeat this component once per alert: all alerts, only firing, or only resolved ones. */
      for_each: scope.optional(),
      /** Order of the alerts: `severity` (most urgent first) or a path such as `labels.instance`. */
      sort_by: z.string().min(1).optional(),
      /** Rendered; the component is left out when it renders empty or "false". */
      if: leaf.optional(),
      container: z
        .strictObject({
          accent_color: leaf.optional(),
          spoiler: flag.optional(),
          components: z.array(componentTemplate).min(1),
        })
        .optional(),
      text: leaf.optional(),
      lines_for_each: scope.optional(),
      line: leaf.optional(),
      section: z.strictObject({ texts: z.array(leaf).min(1).max(3), button: buttonTemplate }).optional(),
      buttons: z.array(buttonTemplate).min(1).optional(),
      separator: z
        .strictObject({ divider: z.boolean().optional(), spacing: z.enum(['small', 'large']).optional() })
        .optional(),
    })
    .superRefine((c, ctx) => {
      const issue = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
      const kinds = KINDS.filter((k) => c[k] !== undefined);
      if (kinds.length !== 1) {
        issue(kinds[1] ?? '', `a component is exactly one of ${KINDS.join(', ')}`);
        return;
      }
      if (c.lines_for_each !== undefined && c.line === undefined) issue('lines_for_each', 'needs a line');
      if (c.line !== undefined && c.lines_for_each === undefined) issue('line', 'needs lines_for_each');
      if (c.lines_for_each !== undefined && c.for_each !== undefined) {
        issue('for_each', 'a component has either for_each or lines_for_each');
      }
      if (c.sort_by !== undefined && c.for_each === undefined && c.lines_for_each === undefined) {
        issue('sort_by', 'needs for_each or lines_for_each');
      }
    }),
);
