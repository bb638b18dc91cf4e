/**
 * Top-level string fields of a JSON object, read from the start of a body that may be cut
 * short (a body refused for its size is never parsed). One pass over the text, no recursion
 * and no backtracking: linear in the prefix, which the caller bounds.
 */
export function peekTopLevelStrings(
  prefix: string,
  keys: readonly string[],
  maxValueLength = 256,
): Record<string, string> {
  const found: Record<string, string> = {};
  let depth = 0;
  let expectKey = false;
  let key: string | undefined;
  let i = 0;
  while (i < prefix.length) {
    const c = prefix[i];
    if (c === '"') {
      const end = endOfString(prefix, i);
      if (end < 0) break; // the string runs past the prefix
      if (depth === 1 && expectKey)
        key = prefix.slice(i + 1, end); // the keys we look for need no escapes
      else if (depth === 1 && key !== undefined && keys.includes(key) && !(key in found)) {
        const value = decodeString(prefix.slice(i, end + 1));
        if (value !== undefined) found[key] = value.slice(0, maxValueLength);
      }
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth < 1) break;
    } else if (depth === 1 && c === ',') expectKey = true;
    else if (depth === 1 && c === ':') expectKey = false;
    i++;
  }
  return found;
}

/** Index of the quote that closes the string opening at `start`, or -1 when it is cut off. */
function endOfString(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j;
  }
  return -1;
}

function decodeString(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}
