import Handlebars from 'handlebars';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;

export type Leaf = (context: unknown) => string;

export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
  }
}

const MARKDOWN_HELPER = '__escapeMarkdown';

/**
 * Parses one leaf and checks it before it can run: syntax errors and unknown helpers are
 * load-time errors with a position, not surprises at 3 a.m.
 * In markdown leaves every `{{ }}` output is wrapped in the markdown escaper; `{{{ }}}`
 * (Handlebars' own "raw" syntax) opts out.
 */
export function parseLeaf(
  source: string,
  knownHelpers: ReadonlySet<string>,
  knownPartials: ReadonlySet<string>,
  markdown: boolean,
): Program {
  let ast: Program;
  try {
    ast = Handlebars.parse(source);
  } catch (err) {
    const message = (err as Error).message;
    const m = /line (\d+)/.exec(message);
    const hash = (err as { hash?: { loc?: { first_line?: number; first_column?: number } } }).hash;
    throw new TemplateSyntaxError(
      message.split('\n')[0] ?? message,
      hash?.loc?.first_line ?? (m ? Number(m[1]) : undefined),
      hash?.loc?.first_column !== undefined ? hash.loc.first_column + 1 : undefined,
    );
  }
  checkNode(ast, knownHelpers, knownPartials);
  if (markdown) wrapEscaped(ast);
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
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const p = n as hbs.AST.PartialStatement;
        const name = p.name.type === 'PathExpression' ? (p.name as hbs.AST.PathExpression).original : undefined;
        if (name !== undefined && !partials.has(name)) {
          throw new TemplateSyntaxError(
            `unknown partial "${name}"`,
            n.loc?.start.line,
            n.loc ? n.loc.start.column + 1 : undefined,
          );
        }
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
