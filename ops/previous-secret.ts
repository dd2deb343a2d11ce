import { createHash } from 'node:crypto';

/**
 * How long the secret VK signed with before a rotation stays the previous one. VK sends an event not answered
 * `ok` again after 10 s, 3 min, 10 min, 30 min and 1 h: the last retry of an event signed just before VK was
 * given a new secret comes about 1 h 43 min later (https://dev.vk.com/ru/api/callback/getting-started).
 */
export const RETRY_WINDOW_MS = 105 * 60_000;
/** RETRY_WINDOW_MS, as ops read it. */
export const RETRY_WINDOW = `${Math.floor(RETRY_WINDOW_MS / 3_600_000)} h ${(RETRY_WINDOW_MS / 60_000) % 60} min`;

/**
 * Where vk:connect notes when VK was given a secret other than the previous one: beside the previous secret's
 * parameter, read by vk:connect only (ingest needs the secrets, not this).
 */
export const replacedAtParameter = (previousParameter: string) => `${previousParameter}-replaced-at`;

/**
 * The note: since `replacedAt` at the latest, VK signs with another secret than the previous one, whose
 * SHA-256 is `previousSha256`. The digest ties the note to that secret: a previous secret written since by
 * hand, or by an earlier version that kept no note, has no note of its own.
 */
export interface ReplacedNote {
  replacedAt: string;
  previousSha256: string;
}

export const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const noteFor = (previous: string, at: Date): ReplacedNote => ({
  replacedAt: at.toISOString(),
  previousSha256: sha256(previous),
});

/** When the note says VK stopped signing with `previous`; undefined without a note about that secret. */
export function replacedAt(note: string | undefined, previous: string): Date | undefined {
  if (!note) return undefined;
  try {
    const { replacedAt, previousSha256 } = JSON.parse(note) as Partial<ReplacedNote>;
    const at = new Date(replacedAt ?? Number.NaN);
    return previousSha256 === sha256(previous) && !Number.isNaN(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a run does with the previous secret, given the secret VK signs with now (`signing`), ours (`secret`)
 * and the stored previous one:
 * - `unchanged`: it is already the one VK signs with;
 * - `store`: make `signing` the previous one (VK is about to be given `secret`, or the old one's window is
 *   over, or `retire` says to retire it now);
 * - `keep`: VK signs with our secret, but may still retry events signed with the previous one until `until`;
 * - `refuse`: VK is to be given our secret while it signs with a third one: the previous one, still within its
 *   window, or the one VK signs with, would be refused. A person decides (`retire`), or waits until `until`.
 */
export type PreviousSecretStep =
  | { kind: 'unchanged' | 'store' }
  | { kind: 'keep' | 'refuse'; until: Date; noted: boolean };

export function previousSecretStep(options: {
  previous: string | undefined;
  signing: string;
  secret: string;
  /** When VK stopped signing with `previous`, as the note says. */
  replacedAt: Date | undefined;
  now: Date;
  retire: boolean;
}): PreviousSecretStep {
  const { previous, signing, secret, now } = options;
  if (previous === signing) return { kind: 'unchanged' };
  // Overwriting it takes nothing away: none stored yet, or it is our secret, which ingest accepts anyway.
  if (previous === undefined || previous === secret || options.retire) return { kind: 'store' };
  // No note about this secret: when VK stopped signing with it is unknown, so its window starts now.
  const since = options.replacedAt ?? now;
  const until = new Date(since.getTime() + RETRY_WINDOW_MS);
  if (until <= now) return { kind: 'store' };
  return { kind: signing === secret ? 'keep' : 'refuse', until, noted: options.replacedAt !== undefined };
}

/**
 * Whether ingest still accepts a previous secret beside the callback secret, and until when, as `--status` tells
 * ops. Ingest takes the stored previous secret as long as it is stored: only a run of vk:connect replaces it.
 * - `none`: none is stored, or it is the callback secret itself;
 * - `kept`: VK was given another secret at the noted time, and may retry events signed with this one until
 *   `until`: the first run from then retires it (`--retire-previous` at once);
 * - `due`: that time is past: the next run retires it;
 * - `unnoted`: no note about this secret (VK may still sign with it, between a rotation's steps 2 and 3; or an
 *   earlier version or a person stored it): the next run that finds VK holding another starts its window.
 */
export type PreviousSecretState =
  | { kind: 'none' }
  | { kind: 'unnoted' }
  | { kind: 'kept' | 'due'; until: Date };

export function previousSecretState(options: {
  previous: string | undefined;
  /** The callback secret, which ingest takes anyway. */
  secret: string | undefined;
  /** The `-replaced-at` parameter's value. */
  note: string | undefined;
  now: Date;
}): PreviousSecretState {
  const { previous, now } = options;
  if (previous === undefined || previous === options.secret) return { kind: 'none' };
  const since = replacedAt(options.note, previous);
  if (since === undefined) return { kind: 'unnoted' };
  const until = new Date(since.getTime() + RETRY_WINDOW_MS);
  return { kind: until <= now ? 'due' : 'kept', until };
}
