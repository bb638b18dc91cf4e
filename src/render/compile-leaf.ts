import Handlebars from 'handlebars';
import { TemplateSyntaxError, fromException, parseHandlebars } from './handlebars-errors.js';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;

/**
 * A compiled template string. `capacity`: the most characters its field can show; values
 * inserted into it are cut to that before they are escaped, and its output before it is cleaned.
 */
export type Leaf = ((context: unknown) => string) & { capacity?: number };

/** Where a leaf's capacity travels in Handlebars' data, down into blocks and partials. */
export const CAPACITY_KEY = 'alertcordCapacity';

const MARKDOWN_HELPER = '__escapeMarkdown';

/**
 * Parses one leaf and checks it before it can run: syntax errors and unknown helpers are
 * load-time errors with a position, not surprises at 3 a.m.
 * In markdown leaves every `{{ }}` output is wrapped in the markdown escaper, and partials
 * are called in their markdown variant; `{{{ }}}` (Handlebars' own "raw" syntax) opts out.
 */
export function parseLeaf(
  source: string,
  knownHelpers: ReadonlySet<string>,
  knownPartials: ReadonlySet<string>,
  markdown: boolean,
): Program {
  const ast = parseHandlebars(source);
  checkNode(ast, knownHelpers, knownPartials);
  if (markdown) wrapEscaped(ast);
  // Handlebars compiles lazily, on the first render; a few errors only show then. Compile once
  // now so they are load-time errors too.
  try {
    Handlebars.precompile(ast, { noEscape: true });
  } catch (err) {
    throw fromException(err as Error);
  }
  return ast;
}

/** What mustaches, blocks and sub-expressions share. */
interface CallNode {
  path: hbs.AST.Expression;
  params: hbs.AST.Expression[];
  hash?: hbs.AST.Hash;
  program?: Program;
  inverse?: Program;
}

const BUILTIN_BLOCKS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

function checkNode(node: Node, helpers: ReadonlySet<string>, partials: ReadonlySet<string>): void {
  const visit = (n: Node | undefined | null): void => {
    if (!n) return;
    switch (n.type) {
      case 'Program':
        (n as Program).body.forEach(visit);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const s = n as unknown as CallNode;
        const isCall = n.type !== 'MustacheStatement' || s.params.length > 0 || (s.hash?.pairs.length ?? 0) > 0;
        if (isCall && s.path.type === 'PathExpression') {
          const name = (s.path as hbs.AST.PathExpression).original;
          if (!helpers.has(name) && !BUILTIN_BLOCKS.has(name)) {
            throw new TemplateSyntaxError(
              `unknown helper "${name}"`,
              n.loc?.start.line,
              n.loc ? n.loc.start.column + 1 : undefined,
            );
          }
        }
        s.params.forEach(visit);
        s.hash?.pairs.forEach((p: hbs.AST.HashPair) => visit(p.value));
        visit(s.program);
        visit(s.inverse);
        return;
      }
      case 'Decorator':
      case 'DecoratorBlock':
        throw new TemplateSyntaxError(
          'decorators are not supported',
          n.loc?.start.line,
          n.loc ? n.loc.start.column + 1 : undefined,
        );
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const p = n as hbs.AST.PartialBlockStatement;
        const at = [n.loc?.start.line, n.loc ? n.loc.start.column + 1 : undefined] as const;
        // A name computed at runtime could not be checked, nor given its escaping variant.
        if (p.name.type !== 'PathExpression')
          throw new TemplateSyntaxError('dynamic partials are not supported', ...at);
        const name = (p.name as hbs.AST.PathExpression).original;
        if (!partials.has(name)) throw new TemplateSyntaxError(`unknown partial "${name}"`, ...at);
        p.params.forEach(visit);
        p.hash?.pairs.forEach((h: hbs.AST.HashPair) => visit(h.value));
        visit(p.program);
        return;
      }
      default:
        return;
    }
  };
  visit(node);
}

/** {{expr}} → {{__escapeMarkdown (expr)}}; leaves {{{expr}}} alone. */
function wrapEscaped(node: Node): void {
  const visit = (n: Node | undefined | null): void => {
    if (!n) return;
    if (n.type === 'Program') {
      (n as Program).body.forEach(visit);
      return;
    }
    if (n.type === 'BlockStatement') {
      const b = n as hbs.AST.BlockStatement;
      visit(b.program);
      visit(b.inverse);
      return;
    }
    if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') {
      // The partial's own {{ }} must be escaped too: call its markdown variant.
      const p = n as hbs.AST.PartialBlockStatement;
      const name = p.name as hbs.AST.PathExpression;
      const md = markdownPartialName(name.original);
      p.name = { ...name, parts: [md], original: md } as hbs.AST.PathExpression;
      visit(p.program);
      return;
    }
    if (n.type !== 'MustacheStatement') return;
    const m = n as hbs.AST.MustacheStatement;
    if (!m.escaped) return;
    const loc = m.loc;
    const inner =
      m.params.length > 0 || m.hash?.pairs.length
        ? ({
            type: 'SubExpression',
            path: m.path,
            params: m.params,
            hash: m.hash,
            loc,
          } as unknown as hbs.AST.SubExpression)
        : m.path;
    m.path = {
      type: 'PathExpression',
      data: false,
      depth: 0,
      parts: [MARKDOWN_HELPER],
      original: MARKDOWN_HELPER,
      loc,
    } as unknown as hbs.AST.PathExpression;
    m.params = [inner as hbs.AST.Expression];
    m.hash = undefined as unknown as hbs.AST.Hash;
    m.escaped = false;
  };
  visit(node);
}

export const ESCAPE_HELPER_NAME = MARKDOWN_HELPER;

/** Each partial is compiled twice; markdown leaves call this variant, whose output is escaped. */
export const markdownPartialName = (name: string): string => `${name}.markdown`;
