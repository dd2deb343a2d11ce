/**
 * Clearing a notice off its inquiry once its digest is published (or once it has gone moot): the conditional
 * write that ends a notice, kept apart from the checks that mark notices and the digests that send them.
 */
import { changeInquiryWithRetries } from '../application/inquiry-writes.js';
import type { AddressedNotice } from '../domain/escalation/addressing.js';
import { sameNotice } from '../domain/escalation/notice-claim.js';
import { followingNotice } from '../domain/inquiry/state-machine.js';
import { type EscalatorDeps, MAX_ATTEMPTS } from './run-deps.js';

export type ClearPending = (addressed: AddressedNotice) => Promise<boolean>;

export function createClearPending({ inquiries, clock }: EscalatorDeps): ClearPending {
  /**
   * Clears a sent notice, unless someone changed the inquiry meanwhile (then on top of their change). A notice
   * marked since (the inquiry moved to another department, which is to hear of it) is left for its run. One
   * told to a department the inquiry has left gives way to the notice the department now holding it owes.
   */
  return async function clearPending({
    inquiry,
    notice: sent,
    addressee,
  }: AddressedNotice): Promise<boolean> {
    const told = addressee.id;
    return await changeInquiryWithRetries(
      inquiries,
      inquiry.id,
      (current) => {
        const notice = current?.pendingNotification;
        if (!current || !notice || !sameNotice(notice, sent)) return { done: () => false };
        // Told: a raise to critical it tells of can no longer be undone (critical-notice.ts, undoRaise).
        const { pendingNotification, clockBeforeRaise, ...rest } = current;
        // Due from now, when the notice before it was told: after the run's time, which the run reads the index
        // by, so that the department now holding the inquiry hears of it on the next run (docs/escalation.md,
        // "Moved inquiries"), not in a second e-mail of this one.
        const following = followingNotice(current, told, clock.now().toISOString());
        const cleared = {
          ...rest,
          ...(following && { pendingNotification: following }),
          version: current.version + 1,
        };
        return { write: cleared, history: [], done: () => true };
      },
      { maxAttempts: MAX_ATTEMPTS, first: inquiry },
    );
  };
}
