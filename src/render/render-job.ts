import type { Notification } from '../alertmanager/payload.js';
import type { DiscordMessage } from '../discord/message.js';
import { fitMessage, type FitResult } from './fit.js';
import { NO_MENTIONS, renderDraft } from './render.js';
import { FALLBACK_TEMPLATE, type TemplateSet } from './template-set.js';

export interface RenderRequest {
  notification: Notification;
  target: string;
  template: string;
  username?: string | undefined;
  avatarUrl?: string | undefined;
}

export interface RenderOutcome extends FitResult {
  template: string;
  /** Set when the chosen template threw and the shipped default rendered instead. */
  templateError: string | undefined;
}

/**
 * Render and fit: the one code path for delivery and the preview CLI. A template that throws
 * at runtime falls back to the shipped default (even when a user file replaces `default`),
 * so the alert is still delivered.
 */
export function renderMessages(templates: TemplateSet, req: RenderRequest): RenderOutcome {
  const input = {
    notification: req.notification,
    target: req.target,
    allowedMentions: NO_MENTIONS,
    username: req.username,
    avatarUrl: req.avatarUrl,
  };
  const chosen = templates.get(req.template);
  try {
    if (!chosen) throw new Error(`unknown template "${req.template}"`);
    return { ...fitMessage(renderDraft(chosen, input)), template: req.template, templateError: undefined };
  } catch (err) {
    const fallback = templates.fallback;
    if (chosen === fallback) throw err;
    return {
      ...fitMessage(renderDraft(fallback, input)),
      template: FALLBACK_TEMPLATE,
      templateError: (err as Error).message,
    };
  }
}

export type { DiscordMessage };
