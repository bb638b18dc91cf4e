import { LineCounter, isNode, isScalar, parseDocument } from 'yaml';

/** Where a leaf's text starts in its file (1-based), and whether it is a block scalar (|, >). */
export interface LeafPosition {
  line: number;
  column: number;
  block: boolean;
}

export interface PositionedYaml {
  value: unknown;
  /** The position of the value at `path`, or of its nearest ancestor that has one. */
  positionOf(path: readonly PropertyKey[]): LeafPosition | undefined;
}

/** YAML with a way back from a value's path to its place in the file, for error messages. */
export function parsePositionedYaml(text: string): PositionedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const first = doc.errors[0];
  if (first) throw first;
  const sourceLines = text.split('\n');
  return {
    value: doc.toJS(),
    positionOf: (path) => {
      for (let p = path.filter((k) => typeof k !== 'symbol'); p.length > 0; p = p.slice(0, -1)) {
        const node = doc.getIn(p, true);
        if (!isNode(node) || !node.range) continue;
        const pos = lines.linePos(node.range[0]);
        if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
          // The text starts on the next line, at that line's indentation.
          const next = sourceLines[pos.line] ?? '';
          return { line: pos.line + 1, column: next.length - next.trimStart().length + 1, block: true };
        }
        const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
        return { line: pos.line, column: pos.col + (quoted ? 1 : 0), block: false };
      }
      return undefined;
    },
  };
}
