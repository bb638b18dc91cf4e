/** A component as a template rendered it: nothing is checked yet (see fit-components.ts). */
export type ComponentDraft =
  | { type: 'text'; content: string }
  /** A digest's lines, packed into as many text displays as they need. */
  | { type: 'lines'; lines: readonly string[] }
  | { type: 'section'; texts: readonly string[]; button: ButtonDraft }
  | { type: 'buttons'; buttons: readonly ButtonDraft[] }
  | { type: 'separator'; divider?: boolean; spacing?: 1 | 2 }
  | { type: 'container'; accent_color?: number; spoiler?: boolean; components: readonly ComponentDraft[] };

export interface ButtonDraft {
  label: string;
  url: string;
}
