import { randomUUID } from 'node:crypto';
import { type HistoryEntry, historyKeyParts, type Inquiry } from '../domain/inquiry/inquiry.js';
import { type InquiryRepository, VersionConflictError } from '../domain/ports.js';

/** How a writer that keeps losing the version race to other writers of the inquiry tries again. */
export interface Retries {
  /** Attempts before the conflict is given to the caller (the queue's retry, the operator's 409). */
  maxAttempts: number;
  /** Milliseconds to wait after attempt `failed` lost, before the next; none when omitted. */
  backoffMs?: (failed: number) => number;
}

/** Runs an attempt again, on a fresh read, while another writer's change of its inquiry refuses its write. */
export async function withVersionRetries<T>(
  attempt: (n: number) => Promise<T>,
  { maxAttempts, backoffMs }: Retries,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof VersionConflictError) || n >= maxAttempts) throw error;
      const wait = backoffMs?.(n) ?? 0;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Where a twin keys its entries by a time of its own, not by one its cause gives (an operator's request is
 * keyed by the time it came): that time, or undefined when it cannot be told (its entries are then kept).
 */
export type TwinKeyedAt = (current: Inquiry) => Promise<string | undefined>;

export interface Settled {
  /** The entries of the change that was saved by this work: they stay. */
  saved?: HistoryEntry[];
  twinKeyedAt?: TwinKeyedAt;
}

/**
 * The history entries of a work's attempts that lost the version race, and what becomes of them.
 *
 * The repository writes an update's history before the inquiry (InquiryRepository.update), so an attempt
 * refused on its version leaves entries of a change that never happened: a "priority raised" the retry no
 * longer makes, a follow-up the retry put in another inquiry, a warning of a clock an answer stopped. Once the
 * work knows what was saved, they are deleted, except those the winner wrote under the same key:
 * - the change this work saved at last (its `saved` entries: a retry of the same cause rewrites its keys);
 * - a twin's: the same cause applied by another delivery, run or request, which saved it first. The inquiry as
 *   read last (`current`) then holds the cause, and the twin wrote the same keys, since a key is the time and
 *   the cause of its change, and the time comes from the cause (the message's receipt, the clock's point)
 *   unless `twinKeyedAt` tells the twin's own.
 * Entries of other causes, or on other inquiries, go.
 *
 * A twin may also save the cause after `current` was read: it wrote its entries before its inquiry, and the
 * read fell between the two. So the work marks what it writes with a token of its own (`writer`), and deletes
 * an entry only while it still bears that token: one a twin wrote since is the twin's, kept whatever comes of
 * its inquiry write (if that is refused too, the twin settles it). Left: a twin whose entry this work wrote
 * over, and whose inquiry write comes after this work's delete; its two writes would enclose this work's
 * write, refused write, read and delete of the key (a put replaces an item whole: the twin's mark is gone).
 */
export function unsavedHistory(repository: Pick<InquiryRepository, 'update' | 'discardHistory'>) {
  /** This work's mark on the entries it writes (InquiryRepository.update's `writer`). */
  const writer = randomUUID();
  /**
   * The keys refused writes wrote, by inquiry: each once, as retries rewrite them.
   */
  const unsaved = new Map<string, Set<string>>();
  return {
    /** InquiryRepository.update, noting the entries of a write refused on its version. */
    async update(inquiry: Inquiry, expectedVersion: number, history: HistoryEntry[]): Promise<void> {
      try {
        await repository.update(inquiry, expectedVersion, history, writer);
      } catch (error) {
        if (error instanceof VersionConflictError)
          for (const { inquiryId, key } of history)
            unsaved.set(inquiryId, (unsaved.get(inquiryId) ?? new Set()).add(key));
        throw error;
      }
    },
    /** Whether refused writes left entries to settle. */
    get pending(): boolean {
      return unsaved.size > 0;
    },
    /** Deletes the entries refused writes left, but those the winner wrote, or another work wrote since (above). */
    async settle(current?: Inquiry, { saved = [], twinKeyedAt }: Settled = {}): Promise<void> {
      const left = new Map(unsaved);
      unsaved.clear();
      for (const { inquiryId, key } of saved) left.get(inquiryId)?.delete(key);
      const onCurrent = current ? left.get(current.id) : undefined;
      const twins = [...(onCurrent ?? [])].filter((key) =>
        current?.causes.includes(historyKeyParts(key).cause),
      );
      const twinAt = current && twins.length > 0 ? await twinKeyedAt?.(current) : undefined;
      for (const key of twins)
        if (twinAt === undefined || historyKeyParts(key).at === twinAt) onCurrent?.delete(key);
      for (const [inquiryId, keys] of left)
        if (keys.size > 0) await repository.discardHistory(inquiryId, [...keys], writer);
    },
  };
}

/**
 * What a work makes of the inquiry as it reads it: a change to write on the version read (`write`, `history`),
 * or nothing (more) to write. `done` gives the work's result once the change is saved, or, with none, once
 * the entries of lost attempts are settled.
 */
export type Decision<T> =
  | { done: () => T | Promise<T> }
  | { write: Inquiry; history: HistoryEntry[]; done: () => T | Promise<T> };

/**
 * Reads the inquiry, asks `decide` what to write, and writes it conditionally on the version read; while
 * another writer got there first, reads and decides again, up to `maxAttempts`. The entries of attempts that
 * lost are settled (unsavedHistory) before `done`, and also when the work gives up, on a fresh read: the
 * conflict is then the caller's. `first`: the inquiry as the caller has just read it, for the first attempt.
 */
export async function changeInquiryWithRetries<T>(
  repository: Pick<InquiryRepository, 'getInquiry' | 'update' | 'discardHistory'>,
  id: string,
  decide: (inquiry: Inquiry | undefined) => Decision<T> | Promise<Decision<T>>,
  options: Retries & { first?: Inquiry; twinKeyedAt?: TwinKeyedAt },
): Promise<T> {
  const { first, twinKeyedAt } = options;
  const writes = unsavedHistory(repository);
  try {
    return await withVersionRetries(async (attempt) => {
      const inquiry = attempt === 1 && first ? first : await repository.getInquiry(id);
      const decision = await decide(inquiry);
      if ('write' in decision) {
        if (!inquiry) throw new Error(`inquiry ${id}: a change decided on none`);
        await writes.update(decision.write, inquiry.version, decision.history);
        await writes.settle(inquiry, { saved: decision.history, twinKeyedAt });
      } else await writes.settle(inquiry, { twinKeyedAt });
      return decision.done();
    }, options);
  } catch (error) {
    if (error instanceof VersionConflictError && writes.pending)
      await writes.settle(await repository.getInquiry(id), { twinKeyedAt });
    throw error;
  }
}
