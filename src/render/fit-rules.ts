import { LIMITS } from '../discord/limits.js';

/** The `limit` of each kind of cut: a fixed string per rule, so cuts can be counted by rule. */
export const RULES = {
  title: `title ${LIMITS.title}`,
  description: `description ${LIMITS.description}`,
  fieldName: `field.name ${LIMITS.fieldName}`,
  fieldValue: `field.value ${LIMITS.fieldValue}`,
  footerText: `footer.text ${LIMITS.footerText}`,
  authorName: `author.name ${LIMITS.authorName}`,
  content: `content ${LIMITS.content}`,
  threadName: `thread_name ${LIMITS.threadName}`,
  fields: `fields ${LIMITS.fieldsPerEmbed}`,
  embedTotal: `embed total ${LIMITS.embedTotal}`,
  split: `embeds ${LIMITS.embedsPerMessage} / total ${LIMITS.embedTotal} per message`,
  appliedTags: `applied_tags ${LIMITS.appliedTags}`,
  url: 'http(s) url',
  distinctUrl: 'url distinct per message',
  timestamp: 'ISO 8601 timestamp',
  color: 'color 0..0xFFFFFF',
  username: `username 1-${LIMITS.username}, not discord/clyde/everyone/here`,
  flags: 'flags integer',
  allowedMentions: 'allowed_mentions',
  required: 'non-empty',
  embedNotEmpty: 'embed not empty',
  messageNotEmpty: 'message not empty',
  wellFormed: 'well-formed text',
} as const;
