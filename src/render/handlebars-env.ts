import Handlebars from 'handlebars';
import { ESCAPE_HELPER_NAME, parseLeaf, type Leaf } from './compile-leaf.js';
import { createHelpers, type HelperEnv } from './helpers.js';
import { escapeMarkdown } from './markdown.js';

export interface TemplateEnv {
  hb: typeof Handlebars;
  helperNames: ReadonlySet<string>;
}

/** A Handlebars instance of our own, with the helpers and the markdown escaper registered. */
export function createTemplateEnv(env: HelperEnv): TemplateEnv {
  const hb = Handlebars.create();
  const helpers = createHelpers(env);
  hb.registerHelper(helpers);
  // Helpers that build markdown on purpose return SafeString, which passes through.
  hb.registerHelper(ESCAPE_HELPER_NAME, (value: unknown) =>
    value instanceof Handlebars.SafeString
      ? value.toString()
      : value === undefined || value === null
        ? ''
        : escapeMarkdown(String(value)),
  );
  return { hb, helperNames: new Set(Object.keys(helpers)) };
}

/** Alert data must not reach Object.prototype through a template. */
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

/** Parses, checks and compiles one leaf; throws TemplateSyntaxError with its position. */
export function compileLeaf(
  hb: typeof Handlebars,
  source: string,
  helperNames: ReadonlySet<string>,
  partialNames: ReadonlySet<string>,
  markdown: boolean,
): Leaf {
  const fn = hb.compile(parseLeaf(source, helperNames, partialNames, markdown), { noEscape: true });
  return (ctx) => fn(ctx, RUNTIME_OPTIONS);
}

/** A Handlebars environment that sees the parent's helpers and partials, plus its own partials. */
export function childEnv(parent: typeof Handlebars): typeof Handlebars {
  const child = Handlebars.create();
  child.registerHelper(parent.helpers);
  child.registerPartial(parent.partials as Record<string, Handlebars.Template>);
  return child;
}
