import type { SendResult } from '../../src/discord/send-result.js';

/** Discord's 400 for a body it refuses (50035 Invalid Form Body), as the client reports it. */
export const invalidFormBody = (errors: Extract<SendResult, { kind: 'rejected' }>['errors'] = {}): SendResult => ({
  kind: 'rejected',
  status: 400,
  code: 50035,
  message: 'Invalid Form Body',
  errors,
  rateLimit: {},
});
