import type { ConversationPointer } from '../ports.js';

/**
 * How long a conversation's new inquiry may be missing (or its rejected latest being routed by an edit) before
 * another message stops waiting for it.
 */
const CLAIM_TAKEOVER_MS = 5 * 60_000;

/**
 * When the pointer was claimed, if within CLAIM_TAKEOVER_MS of `now` (its claimer may still be at work); a
 * pointer written before claims were timed, without the time, is long settled.
 */
export const freshClaimOf = (pointer: ConversationPointer | undefined, now: Date): string | undefined =>
  pointer?.claimedAt !== undefined && now.getTime() - Date.parse(pointer.claimedAt) < CLAIM_TAKEOVER_MS
    ? pointer.claimedAt
    : undefined;
