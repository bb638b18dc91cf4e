/**
 * About the size of `JSON.stringify(value)`, without building it: string lengths in UTF-16
 * units (escapes and multi-byte characters are not expanded) plus punctuation. Strings are
 * not read, only their lengths, so a 10 MB value costs what a short one does. Iterative:
 * a deeply nested extra field cannot overflow the stack. Values JSON leaves out count 0.
 */
export function jsonSize(value: unknown): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case 'string':
        size += v.length + 2;
        break;
      case 'number':
      case 'boolean':
        size += String(v).length;
        break;
      case 'object':
        if (v === null) size += 4;
        else if (Array.isArray(v)) {
          size += 2 + v.length;
          for (const item of v) stack.push(item);
        } else {
          size += 2;
          const o = v as Record<string, unknown>;
          for (const k of Object.keys(o)) {
            const item = o[k];
            // Label values, most of what a payload holds: counted here, not pushed and popped.
            if (typeof item === 'string') size += k.length + item.length + 6;
            else {
              size += k.length + 4;
              stack.push(item);
            }
          }
        }
        break;
    }
  }
  return size;
}
