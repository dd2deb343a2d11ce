/**
 * Sending what a department holds: its notices grouped by the department each is told to, read again as they
 * stand, each group's critical notices claimed (critical-claims.ts), the digests published, each notice cleared
 * once its digest is (clear-notice.ts), and what was published logged. What a digest says is the domain's
 * (digest.ts).
 */
import { atMostAtOnce } from '../domain/concurrency.js';
import type { Department } from '../domain/config/schema.js';
import { type AddressedNotice, heldAsItStands, notificationOf } from '../domain/escalation/addressing.js';
import { deadlineDigests } from '../domain/escalation/digest.js';
import type { DeadlineDigest } from '../domain/ports.js';
import type { ClearPending } from './clear-notice.js';
import type { CriticalClaims } from './critical-claims.js';
import { type EscalationRun, type EscalatorDeps, inquiriesFailed, WRITES_AT_ONCE } from './run-deps.js';

/**
 * What the log says of a digest published: whose it is (the department and the communities, by the
 * configuration's ids), what it tells of and of which inquiries (their ids, as the line of a digest that could
 * not be sent names them: the on-call following one inquiry finds it told), and the message id SNS gave it.
 * SNS keeps no delivery log of e-mail, so when a deadline e-mail fails (DeadlineEmailsFailed) these lines are
 * what names the departments e-mailed then. No e-mail addresses, VK ids or citizens' words.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-topic-attributes.html
 */
function publishedFields(digest: DeadlineDigest, messageId: string | undefined) {
  const distinct = <T>(values: T[]) => [...new Set(values)].sort();
  return {
    department: digest.department,
    communities: distinct(digest.notifications.map((notice) => notice.groupId)),
    kinds: distinct(digest.notifications.map((notice) => notice.kind)),
    inquiries: digest.notifications.length,
    inquiryIds: digest.notifications.map((notice) => notice.inquiryId),
    critical: digest.critical,
    ...(digest.part && { part: `${digest.part.index}/${digest.part.count}` }),
    messageId: messageId ?? null,
  };
}

/** Sends the notices a department held, and no longer holds: they are the sending's from here. */
export type SendHeld = (
  held: AddressedNotice[],
  now: Date,
  runId: string,
  run: EscalationRun,
) => Promise<void>;

export function createSendHeld(
  deps: EscalatorDeps,
  clearPending: ClearPending,
  { claimCritical, releaseClaims }: CriticalClaims,
): SendHeld {
  const { config } = deps;

  /**
   * The notices held for `department` as their inquiries stand now (heldAsItStands), read again together: a
   * department with a backlog holds its notices until its last page is checked, and meanwhile another
   * department's turn may have sent one (its inquiry moved there), or an operator answered. A read that fails
   * sends none of them: they stay pending, for the next run, each counted as one not told.
   */
  async function asTheyStand(department: Department, held: AddressedNotice[], run: EscalationRun) {
    try {
      const current = await deps.inquiries.getInquiries(held.map(({ inquiry }) => inquiry.id));
      return held.flatMap(
        (addressed) => heldAsItStands(addressed, current.get(addressed.inquiry.id), config.departments) ?? [],
      );
    } catch (error) {
      inquiriesFailed(deps, run, department, {
        message: 'escalator: the notices held could not be read again for their digest',
        ids: { inquiryIds: held.map(({ inquiry }) => inquiry.id) },
        error,
      });
      return [];
    }
  }

  /**
   * The department's pending notices as its digest(s), as they stand (asTheyStand), its critical ones claimed
   * first (claimCritical); each notice cleared once its digest is published, and a claim given back if it was
   * not.
   */
  async function notify(
    department: Department,
    held: AddressedNotice[],
    now: Date,
    runId: string,
    run: EscalationRun,
  ) {
    const pending = await claimCritical(department, await asTheyStand(department, held, run), runId, run);
    const byId = new Map(pending.map((addressed) => [addressed.inquiry.id, addressed]));
    const digests = deadlineDigests(
      pending.flatMap((addressed) => notificationOf(addressed, config.departments) ?? []),
      {
        department,
        communities: config.communities,
        operatorConsoleUrl: config.operatorConsoleUrl,
        now,
        criticalNotify: config.escalation.criticalNotify,
      },
      deps.notifier.fits?.bind(deps.notifier),
    );
    for (const digest of digests) {
      const ids = digest.notifications.map((notice) => notice.inquiryId);
      let messageId: string | undefined;
      try {
        messageId = await deps.notifier.notify(digest);
      } catch (error) {
        // Its notices stay pending: the next run sends them again, with whatever is due by then. Each of its
        // inquiries is one not told of, in the count as in the run's.
        inquiriesFailed(deps, run, department, {
          message: 'escalator: a deadline digest could not be sent',
          ids: { inquiryIds: ids },
          error,
        });
        await releaseClaims(
          department,
          ids.flatMap((id) => byId.get(id) ?? []),
          runId,
          run,
        );
        continue;
      }
      run.digests++;
      deps.logInfo?.('escalator: a deadline digest was published', publishedFields(digest, messageId));
      await atMostAtOnce(ids, WRITES_AT_ONCE, async (id) => {
        const addressed = byId.get(id);
        if (!addressed) return;
        try {
          // Not cleared: the inquiry holds another notice since (a raise took its place, told in an e-mail of
          // its own), or none: not counted as told.
          if (!(await clearPending(addressed))) return;
          run.notified++;
          if (addressed.notice.kind !== 'critical') return;
          // A critical inquiry told to its department (new, raised or reopened), counted once: when its
          // notice is sent and cleared, as the breach below.
          deps.metrics?.count('CriticalNotices', { department: department.id });
          // A raise that escalated its clock at once (critical-notice.ts) is a breach of this department's,
          // counted as the escalator's own are, once: when its notice is sent and cleared.
          if (addressed.notice.escalated) {
            run.breached++;
            deps.metrics?.count('DeadlineBreaches', { department: department.id });
          }
        } catch (error) {
          // Sent, but still pending: the next digest tells of it again (a duplicate, never a loss).
          inquiriesFailed(deps, run, department, {
            message: 'escalator: a sent notice could not be cleared',
            ids: { inquiryId: id },
            error,
          });
        }
      });
    }
  }

  /**
   * Sends the notices the department held: each to its addressee (one marked before the inquiry moved here
   * goes to the department it was marked for, in an e-mail of its own; one for a department configured no
   * more, to this one).
   */
  return async function send(held, now, runId, run) {
    const byAddressee = new Map<string, { addressee: Department; notices: AddressedNotice[] }>();
    for (const addressed of held) {
      const { inquiry, addressee, named } = addressed;
      if (named !== addressee.id)
        deps.logWarning?.("escalator: a notice's department is not configured: told to the inquiry's", {
          inquiryId: inquiry.id,
          named,
          department: addressee.id,
        });
      const group = byAddressee.get(addressee.id) ?? { addressee, notices: [] };
      group.notices.push(addressed);
      byAddressee.set(addressee.id, group);
    }
    for (const { addressee, notices } of byAddressee.values())
      await notify(addressee, notices, now, runId, run);
  };
}
