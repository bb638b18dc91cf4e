import { fitComponents } from './fit-components.js';
import { fitMessage } from './fit-message.js';
import type { FitResult } from './fit-result.js';
import type { MessageDraft } from './message-draft.js';

/** A draft into messages Discord accepts and shows: a Components V2 draft or an embed draft. */
export function fitDraft(draft: MessageDraft): FitResult {
  return draft.componentDrafts !== undefined ? fitComponents(draft) : fitMessage(draft);
}
