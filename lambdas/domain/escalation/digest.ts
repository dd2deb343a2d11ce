/**
 * A department's e-mail of its deadlines, in digest/: which notices it lists and in what order
 * (listing.ts), the lines of each inquiry (inquiry-block.ts), its subject and text (subject.ts, render.ts);
 * the names the rest of the code imports, from one place.
 */
export type { DeadlineDigest, DigestContext } from './digest/deadline-digest.js';
export { deadlineDigests } from './digest/listing.js';
export type { EscalationNotification } from './digest/notification.js';
export { timeZoneLabel } from './digest/times.js';
