import Handlebars from 'handlebars';
import { CAPACITY_KEY, ESCAPE_HELPER_NAME, parseLeaf, type Leaf } from './compile-leaf.js';
import { cutFor } from './cut-for.js';
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
  hb.registerHelper(ESCAPE_HELPER_NAME, (value: unknown, options: Handlebars.HelperOptions) =>
    value instanceof Handlebars.SafeString
      ? value.toString()
      : value === undefined || value === null
        ? ''
        : escapeMarkdown(cutFor(String(value), options)),
  );
  return { hb, helperNames: new Set(Object.keys(helpers)) };
}

/** Alert data must not reach Object.prototype through a template. */
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

type PartialOptions = Record<string, unknown>;
const PROBE = '__alertcordProbe';

/**
 * Each top-level Handlebars call re-wraps every registered helper and rebuilds its access
 * control: for a message of many short leaves that setup costs more than the rendering.
 * Handlebars skips it when it calls a partial, passing what the top-level call built. So we
 * build that once, by rendering a probe partial, and call every leaf the way Handlebars calls
 * a partial. The access control captured is the one RUNTIME_OPTIONS configures.
 */
function partialOptions(hb: typeof Handlebars): PartialOptions {
  let captured: PartialOptions | undefined;
  hb.registerPartial(PROBE, ((_ctx: unknown, options: PartialOptions) => {
    captured = options;
    return '';
  }) as unknown as Handlebars.Template);
  try {
    hb.compile(`{{> ${PROBE}}}`)({}, RUNTIME_OPTIONS);
  } finally {
    hb.unregisterPartial(PROBE);
  }
  if (!captured) throw new Error('Handlebars did not call the probe partial');
  const { helpers, decorators, hooks, protoAccessControl } = captured;
  return { helpers, partials: hb.partials, decorators, hooks, protoAccessControl };
}

const setups = new WeakMap<typeof Handlebars, PartialOptions>();

/** One setup per environment, built on first use, when all its partials are registered. */
function setupOf(hb: typeof Handlebars): PartialOptions {
  let setup = setups.get(hb);
  if (!setup) setups.set(hb, (setup = partialOptions(hb)));
  return setup;
}

/** Parses, checks and compiles one leaf; throws TemplateSyntaxError with its position. */
export function compileLeaf(
  hb: typeof Handlebars,
  source: string,
  helperNames: ReadonlySet<string>,
  partialNames: ReadonlySet<string>,
  markdown: boolean,
  capacity?: number,
): { leaf: Leaf; partial: Handlebars.Template } {
  const ast = parseLeaf(source, helperNames, partialNames, markdown);
  const fn = hb.compile(ast, { noEscape: true });
  const partial = fn as unknown as Handlebars.Template;
  // Plain text ("Instance", "true") needs no Handlebars call at all.
  const constant = constantText(ast);
  if (constant !== undefined) return { leaf: withCapacity(() => constant, capacity), partial };
  // Handlebars compiles a template to JavaScript on its first call: done now, at load, so the
  // first notification after a start or reload does not hold the event loop for it.
  (fn as unknown as { _setup: (o: object) => void })._setup({});
  let setup: PartialOptions | undefined;
  const data = (ctx: unknown) => (capacity === undefined ? { root: ctx } : { root: ctx, [CAPACITY_KEY]: capacity });
  const leaf: Leaf = withCapacity((ctx) => {
    const s = (setup ??= setupOf(hb));
    // A top-level call would create @root; as a partial, the caller passes it.
    return fn(ctx, {
      helpers: s.helpers,
      partials: s.partials,
      decorators: s.decorators,
      hooks: s.hooks,
      protoAccessControl: s.protoAccessControl,
      partial: true,
      data: data(ctx),
    } as Handlebars.RuntimeOptions);
  }, capacity);
  return { leaf, partial };
}

function withCapacity(fn: (ctx: unknown) => string, capacity: number | undefined): Leaf {
  if (capacity !== undefined) (fn as Leaf).capacity = capacity;
  return fn;
}

function constantText(ast: hbs.AST.Program): string | undefined {
  let text = '';
  for (const node of ast.body) {
    if (node.type === 'ContentStatement') text += (node as hbs.AST.ContentStatement).value;
    else if (node.type !== 'CommentStatement') return undefined;
  }
  return text;
}

/** A Handlebars environment that sees the parent's helpers and partials, plus its own partials. */
export function childEnv(parent: typeof Handlebars): typeof Handlebars {
  const child = Handlebars.create();
  child.registerHelper(parent.helpers);
  child.registerPartial(parent.partials as Record<string, Handlebars.Template>);
  return child;
}
