import type { Retries } from '../application/inquiry-writes.js';

/**
 * Attempts before a message whose inquiry keeps changing under it is left to SQS to retry, with random waits
 * between that grow, so that writers racing for one conversation spread out. A message that runs out of them
 * leaves the entries of its lost attempts (unsavedHistory): SQS's retry rewrites them if it makes the same change.
 */
export const ROUTER_RETRIES: Retries = {
  maxAttempts: 8,
  backoffMs: (failed) => 10 * 2 ** failed * Math.random(),
};
