import type { Notification } from '../alertmanager/payload.js';
import { fitDraft } from './fit-draft.js';
import type { FitResult } from './fit-result.js';
import { addForumTags } from './forum-tags.js';
import type { MessageDraft } from './message-draft.js';
import { addMentions, type Mentions } from './mentions.js';
import { NO_MENTIONS, renderDraft, slotCount, WINDOW_SLOTS } from './render.js';
import { type CompiledTemplate, type TemplateSet } from './template-set.js';

export interface RenderRequest {
  notification: Notification;
  target: string;
  template: string;
  username?: string | undefined;
  avatarUrl?: string | undefined;
  /** The target's pings, put in front of the content. */
  mentions?: Mentions | undefined;
  /** A line in front of the content, e.g. why an escalation was sent. */
  note?: string | undefined;
  /** Message flags, e.g. SUPPRESS_NOTIFICATIONS outside a target's active hours. */
  flags?: number | undefined;
  /** Forum tags of the group's post, beside the template's own: on the first message only. */
  appliedTags?: readonly string[] | undefined;
  /** One window of the render (see `pageCount`); absent: the whole of it. */
  page?: number | undefined;
}

export interface RenderOutcome extends FitResult {
  template: string;
  /** Set when the chosen template threw and a shipped fallback (`template`) rendered instead. */
  templateError: string | undefined;
}

/**
 * Render and fit: the one code path for delivery and the preview CLI. A template that throws
 * at runtime falls back to the shipped default, or for a Components V2 template the shipped
 * `cards` (even when a user file replaces them), so the alert is still delivered.
 */
export function renderMessages(templates: TemplateSet, req: RenderRequest): RenderOutcome {
  const page = req.page;
  const input = {
    notification: req.notification,
    target: req.target,
    allowedMentions: NO_MENTIONS,
    username: req.username,
    avatarUrl: req.avatarUrl,
    window: page === undefined ? undefined : { from: page * WINDOW_SLOTS, to: (page + 1) * WINDOW_SLOTS },
  };
  const chosen = templates.get(req.template);
  const finish = (draft: MessageDraft): FitResult => {
    // A later page with nothing of its own adds no message (fitting would make an empty one).
    const empty = draft.embeds.length === 0 && (draft.componentDrafts?.length ?? 0) === 0;
    if (page !== undefined && page > 0 && empty && draft.notice === undefined) return { messages: [], cuts: [] };
    const out =
      page !== undefined && page > 0
        ? draft
        : addForumTags(addMentions(draft, req.mentions, req.note), req.appliedTags);
    return fitDraft(req.flags === undefined ? out : { ...out, flags: (out.flags ?? 0) | req.flags });
  };
  try {
    if (!chosen) throw new Error(`unknown template "${req.template}"`);
    return { ...finish(renderDraft(chosen, input)), template: req.template, templateError: undefined };
  } catch (err) {
    const fallback = fallbackOf(templates, chosen);
    if (chosen === fallback) throw err;
    return {
      ...finish(renderDraft(fallback, input)),
      template: fallback.name,
      templateError: (err as Error).message,
    };
  }
}

/**
 * What renders when a template fails: a shipped template of the same kind. A Components V2
 * message can never drop its flag, so embeds in its place would be refused on the next edit.
 */
const fallbackOf = (templates: TemplateSet, chosen: CompiledTemplate | undefined): CompiledTemplate =>
  chosen?.components ? templates.componentsFallback : templates.fallback;

/**
 * How many pages `renderMessages` takes for this notification and template, each at most a
 * window of slots: the fallback's count too, so a failing template still shows every alert.
 */
export function pageCount(templates: TemplateSet, req: Pick<RenderRequest, 'notification' | 'template'>): number {
  const chosen = templates.get(req.template);
  const slots = [chosen, fallbackOf(templates, chosen)].map((t) =>
    t === undefined ? 0 : slotCount(t, req.notification),
  );
  return Math.max(1, Math.ceil(Math.max(...slots) / WINDOW_SLOTS));
}
