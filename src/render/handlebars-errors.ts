import Handlebars from 'handlebars';

/** A template error with its place inside the leaf (1-based line and column). */
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

const TOKEN_NAMES: Record<string, string> = {
  CLOSE: '}}',
  CLOSE_UNESCAPED: '}}}',
  CLOSE_SEXPR: ')',
  OPEN_SEXPR: '(',
  OPEN: '{{',
  EQUALS: '=',
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  EOF: 'the end of the text',
  INVALID: 'a character that does not belong there',
};
const tokenName = (t: string): string => TOKEN_NAMES[t] ?? t.toLowerCase().replace(/_/g, ' ');

/** The parser's "Expecting 'A', 'B', got 'C'", said the way a template author thinks. */
function describeParseError(message: string): string {
  const tokens = [...message.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] ?? '');
  const got = tokens.pop();
  if (got === undefined) return message.split('\n')[0] ?? message;
  if (got === 'EOF' && tokens.includes('OPEN_ENDBLOCK'))
    return 'syntax error: a block is never closed ({{/…}} missing)';
  const wanted = ['CLOSE', 'CLOSE_UNESCAPED', 'CLOSE_SEXPR', 'ID'].find((t) => tokens.includes(t));
  return `syntax error: found ${tokenName(got)}${wanted ? `, expected ${tokenName(wanted)}` : ''}`;
}

interface ParserLocation {
  first_line: number;
  first_column: number;
}

/** Handlebars.parse, with errors turned into TemplateSyntaxError with a line and column. */
export function parseHandlebars(source: string): hbs.AST.Program {
  try {
    return Handlebars.parse(source);
  } catch (err) {
    const e = err as { message: string; lineNumber?: number; column?: number };
    if (e.lineNumber !== undefined) throw fromException(e);
    // Grammar errors carry no position; the parser's lexer still holds the offending token's.
    const loc = (Handlebars as unknown as { Parser?: { lexer?: { yylloc?: ParserLocation } } }).Parser?.lexer?.yylloc;
    throw new TemplateSyntaxError(
      describeParseError(e.message),
      loc?.first_line,
      (loc?.first_column ?? -1) + 1 || undefined,
    );
  }
}

/** Handlebars' own exceptions end their message with " - line:column"; the position is kept apart. */
export function fromException(e: { message: string; lineNumber?: number; column?: number }): TemplateSyntaxError {
  const message = (e.message.split('\n')[0] ?? e.message).replace(/ - \d+:\d+$/, '');
  return new TemplateSyntaxError(message, e.lineNumber, e.column !== undefined ? e.column + 1 : undefined);
}
