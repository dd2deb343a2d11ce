import { requireEnv } from './environment.js';
import { VK_API_BASE_URL } from './vk-api-client.js';

/** What the responder and the senders to its queues (the outbox, the answers queue) read from their environment. */
export const outboxEnvironment = {
  outboxQueueUrl: () => requireEnv('OUTBOX_QUEUE_URL'),
  optionalOutboxQueueUrl: () => process.env.OUTBOX_QUEUE_URL || undefined,
  /** The operators' words to citizens: the operator API sends there, the responder takes them out. */
  answersQueueUrl: () => requireEnv('ANSWERS_QUEUE_URL'),
  /** The VK API: https://api.vk.com/method unless the local runtime or a test points it at the stand-in. */
  vkApiBaseUrl: () => process.env.VK_API_BASE_URL || VK_API_BASE_URL,
};
