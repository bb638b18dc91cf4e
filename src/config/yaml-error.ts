import { LineCounter, YAMLError } from 'yaml';

/**
 * A YAML syntax error as line, column and the parser's reason, never the source line: that
 * line may hold a webhook token or a password, and this text reaches logs, stderr and the
 * status API. Reasons that quote the source after "word: " (an unresolved tag, extra block
 * scalar characters) are cut there.
 */
export function describeYamlError(err: YAMLError, lines: LineCounter): string {
  const { line, col } = lines.linePos(Math.max(0, err.pos[0]));
  const quoted = /[A-Za-z]: /.exec(err.message);
  const reason = (quoted ? err.message.slice(0, quoted.index + 1) : err.message).slice(0, 120);
  return `line ${line}, column ${col}: ${reason}`;
}
