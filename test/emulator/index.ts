/**
 * A strict stand-in for Discord's webhook API: it validates bodies against Discord's limits,
 * enforces the visible, hidden and global rate limits, and can inject faults, so delivery code
 * can be tested against the failures it will meet in production.
 */
export { startEmulator } from './server.js';
export { hiddenEmbeds, shownButtons, shownEmbeds, visibleText } from './client-view.js';
export { COMPONENTS_V2, V2_LIMITS } from './validate-components.js';
export { errorsAt, type ErrorTree, type FormError } from './form-errors.js';
export { DISCORD_LIMITS } from './validate.js';
export { AUTO_ARCHIVE_MINUTES } from './threads.js';
export type {
  AutoArchiveMinutes,
  Counts,
  CreateWebhookOptions,
  Emulator,
  EmulatorOptions,
  Faults,
  RateLimitScope,
  ReceivedRequest,
  StoredMessage,
  ThreadInfo,
  WebhookHandle,
  WindowSpec,
} from './types.js';
