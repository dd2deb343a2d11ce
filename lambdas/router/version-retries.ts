import { VersionConflictError } from '../domain/ports.js';

/** Attempts before a message whose inquiry keeps changing under it is left to SQS to retry. */
const MAX_ATTEMPTS = 8;

/** Runs an attempt again, on a fresh read, while another writer's change of its inquiry refuses its write. */
export async function withVersionRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof VersionConflictError) || tries >= MAX_ATTEMPTS) throw error;
      // Another writer changed the inquiry: read it again and re-apply on top of their change.
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** tries * Math.random()));
    }
  }
}
