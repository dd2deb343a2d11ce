import { randomUUID } from 'node:crypto';
import { ESCALATOR } from '../../lib/resources.js';
import { changeInquiryWithRetries, type Decision } from '../application/inquiry-writes.js';
import { atMostAtOnce } from '../domain/concurrency.js';
import type { AppConfig, Department } from '../domain/config/schema.js';
import { errorSummary } from '../domain/error-summary.js';
import { type AddressedNotice, checkNotice, notificationOf } from '../domain/escalation/addressing.js';
import { isCriticalWork } from '../domain/escalation/critical-work.js';
import { deadlineDigests } from '../domain/escalation/digest.js';
import { claimNotice, releaseNotice, sameNotice } from '../domain/escalation/notice-claim.js';
import type { Inquiry, PendingNotification } from '../domain/inquiry/inquiry.js';
import { followingNotice } from '../domain/inquiry/state-machine.js';
import type {
  Clock,
  DeadlineDigest,
  DuePart,
  EscalationNotifier,
  InquiryRepository,
  ProductMetrics,
  RunLease,
} from '../domain/ports.js';

export interface EscalatorDeps {
  config: AppConfig;
  inquiries: InquiryRepository;
  clock: Clock;
  notifier: EscalationNotifier;
  metrics?: ProductMetrics;
  /** Told of an inquiry that could not be checked; the fields hold ids, never the citizen's words. */
  logError?: (message: string, fields: Record<string, unknown>) => void;
  /** Told of what the run did in place of what could not be done; ids only, as `logError`. */
  logWarning?: (message: string, fields: Record<string, unknown>) => void;
  /** Told of each digest published, by the configuration's ids and the channel's message id only. */
  logInfo?: (message: string, fields: Record<string, unknown>) => void;
  /** Index items read per Query: a department's due inquiries are read page by page while the run has time. */
  pageSize?: number;
  /**
   * One run at a time: two at once (the schedule's or Lambda's delivery twice, a run invoked by hand) would
   * each send the notices the other is about to send. Omitted: no lease is taken.
   */
  lease?: RunLease;
}

export interface EscalationRun {
  checked: number;
  warned: number;
  breached: number;
  /** Inquiries whose notice went out in a digest, and was cleared. */
  notified: number;
  /** Digests published: one per department with notices, more only if one would not fit a message. */
  digests: number;
  /**
   * Inquiries whose check failed, or whose digest was not published: the run went on to the next, and they
   * are checked (their notices sent) again next run.
   */
  failed: number;
  /**
   * Departments the run did not get to, or did not finish, for want of time: the next run takes them up, and
   * starts one department further.
   */
  departmentsLeft: number;
  /** Inquiries due in those departments once the run had sent its notices: the next run's to check. */
  checksLeft: number;
  /** Set when another run held the lease: this one did nothing, and left the work to it. */
  alreadyRunning?: true;
}

const MAX_ATTEMPTS = 5;

/** What a check finds: the inquiry's pending notice, one gone moot (cleared unsent), or nothing. */
type Checked = AddressedNotice | { moot: AddressedNotice } | undefined;

/**
 * Sent notices cleared at once: a Monday's backlog is thousands of notices, and their writes, one after
 * another, would take as long as the checks that marked them and overrun the time a run keeps for them
 * (ESCALATOR.stopBeforeTimeoutSeconds): when it stops, every department in hand sends what it holds.
 */
const CLEARS_AT_ONCE = 20;

/**
 * Inquiries of a page checked at once. A check is a read and a conditional write or two, one after another:
 * one at a time, a run got through 1,300 of a Monday's 2,000 due inquiries in its time. Ten at once keeps
 * within what a department's part of the index and one function's connections take; the
 * reads of checks begun together go to the table as one (dynamo-batch-get.ts).
 */
const CHECKS_AT_ONCE = 10;

/**
 * The notices a run holds, of all departments, before a department sends its own without waiting for the
 * rest of its backlog: what the departments in hand hold when the run's time runs out is sent, and cleared,
 * within the time the run keeps for it (ESCALATOR.stopBeforeTimeoutSeconds: e-mails of SNS's 256 KB, about
 * 380 notices each, five a second; clears twenty at a time). Below it, a department's notices of a run are one
 * e-mail, as many as SNS needs.
 */
const NOTICES_HELD_AT_MOST = 5000;

/** What a run has of one department: where it read the index to, what it checked, and the notices it holds. */
interface DepartmentInHand {
  department: Department;
  /** The inquiries checked: each once a run (checkPage). */
  seen: Set<string>;
  /** The notices found and not yet sent. */
  held: AddressedNotice[];
  /** The key each part of its due inquiries goes on after. */
  after: Partial<Record<DuePart, string>>;
  /** Every due inquiry of it was checked, and its notices sent. */
  done: boolean;
}

const heldIn = (hands: DepartmentInHand[]) => hands.reduce((sum, hand) => sum + hand.held.length, 0);

const holdsCriticalWork = (hand: DepartmentInHand) =>
  hand.held.some(({ inquiry, notice }) => notice.kind === 'critical' || isCriticalWork(inquiry));

/**
 * How long a run's claim on a notice it is sending holds (notice-claim.ts): as long as a run can last, as the
 * run lease. A claim older than that is of a run that ended without clearing the notice, and the next run
 * sends it (at worst twice, never lost).
 */
const CLAIM_LAPSE_MS = ESCALATOR.timeoutSeconds * 1000;

/**
 * Where a run starts in the departments' list: one further on each run (its time counted in the schedule's
 * intervals, so no state is kept), so that runs cut short by their time do not leave the same departments
 * last, and so late, every time.
 */
export function firstDepartmentOf(now: Date, departments: number): number {
  if (departments === 0) return 0;
  return Math.floor(now.getTime() / (ESCALATOR.intervalMinutes * 60_000)) % departments;
}

/**
 * What the log says of a digest published: whose it is (the department and the communities, by the
 * configuration's ids), what it tells of, and the message id SNS gave it. SNS keeps no delivery log of
 * e-mail, so when a deadline e-mail fails (DeadlineEmailsFailed) these lines are what names the departments
 * e-mailed then. No inquiry ids, e-mail addresses or citizens' words: only what the configuration names.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-topic-attributes.html
 */
export function publishedFields(digest: DeadlineDigest, messageId: string | undefined) {
  const distinct = <T>(values: T[]) => [...new Set(values)].sort();
  return {
    department: digest.department,
    communities: distinct(digest.notifications.map((notice) => notice.groupId)),
    kinds: distinct(digest.notifications.map((notice) => notice.kind)),
    inquiries: digest.notifications.length,
    critical: digest.critical,
    ...(digest.part && { part: `${digest.part.index}/${digest.part.count}` }),
    messageId: messageId ?? null,
  };
}

/**
 * One run of the escalator: for each department, the open inquiries whose warning point (80 % of the time,
 * or the share the priority's terms set), whose critical news is pending (critical-notice.ts),
 * or due time has come, through the sparse escalation index (Queries of the department's part, never a
 * scan): every department's critical work first, then the rest in turns (checkDepartments). Each clock is
 * warned once and escalated once: the mark is a conditional write on the inquiry's version, with its history
 * entry and the notice, pending on the inquiry until it is sent. Once the department's inquiries are checked,
 * its pending notices go out as one digest (a department's weekend of inquiries is one e-mail, not a
 * hundred), and each is cleared after the digest that carries it is published:
 * a crash or a refused publish leaves them pending, and the next run sends them again. A critical notice is
 * claimed for the run before its e-mail goes (claimCritical), so that an operator's set back does not undo a
 * raise the department is being told of.
 */
export function createEscalator(deps: EscalatorDeps) {
  const { config, inquiries } = deps;
  const pageSize = deps.pageSize ?? 100;

  /**
   * Clears a sent notice, unless someone changed the inquiry meanwhile (then on top of their change). A notice
   * marked since (the inquiry moved to another department, which is to hear of it) is left for its run. One
   * told to a department the inquiry has left gives way to the notice the department now holding it owes.
   */
  async function clearPending({ inquiry, notice: sent, addressee }: AddressedNotice): Promise<boolean> {
    const told = addressee.id;
    return await changeInquiryWithRetries(
      inquiries,
      inquiry.id,
      (current) => {
        const notice = current?.pendingNotification;
        if (!current || !notice || !sameNotice(notice, sent)) return { done: () => false };
        // Told: a raise to critical it tells of can no longer be undone (critical-notice.ts, undoRaise).
        const { pendingNotification, clockBeforeRaise, ...rest } = current;
        const following = followingNotice(current, told, deps.clock.now().toISOString());
        const cleared = {
          ...rest,
          ...(following && { pendingNotification: following }),
          version: current.version + 1,
        };
        return { write: cleared, history: [], done: () => true };
      },
      { maxAttempts: MAX_ATTEMPTS, first: inquiry },
    );
  }

  /**
   * A deadline warning that will never be told: held back (its digest refused, or its run cut off), then
   * moot or taken over by another deadline's breach. Counted, with no alarm, and logged by ids.
   */
  function warningDropped(
    inquiryId: string,
    notice: PendingNotification,
    department: string,
    reason: 'moot' | 'breach_of_another_deadline',
  ) {
    deps.metrics?.count('DeadlineWarningsDropped');
    deps.logWarning?.('escalator: a deadline warning was dropped unsent', {
      inquiryId,
      department,
      clock: notice.clock,
      dueAt: notice.dueAt,
      reason,
    });
  }

  /**
   * Marks what is due on the inquiry listed under `department` and returns its pending notice, addressed, if it
   * has one (checkNotice says what is due and whom it is told to). The entries of a mark that lost the race to
   * another writer (an operator's answer) go, unless another run made it (unsavedHistory).
   */
  async function check(
    id: string,
    department: Department,
    run: EscalationRun,
  ): Promise<AddressedNotice | undefined> {
    const checked = await changeInquiryWithRetries<Checked>(
      inquiries,
      id,
      (inquiry) => decideCheck(inquiry, department, run),
      { maxAttempts: MAX_ATTEMPTS },
    );
    if (!checked || !('moot' in checked)) return checked;
    const { inquiry, notice, addressee } = checked.moot;
    // (Critical news moot is the inquiry answered or closed before the run: nothing was left untold.)
    if ((await clearPending(checked.moot)) && notice.kind === 'warning')
      warningDropped(inquiry.id, notice, addressee.id, 'moot');
    return undefined;
  }

  /** What a check of the inquiry, as read, writes on it; the count of what it marked once written. */
  function decideCheck(
    inquiry: Inquiry | undefined,
    department: Department,
    run: EscalationRun,
  ): Decision<Checked> {
    const checked = checkNotice(inquiry, department, config.departments, deps.clock.now());
    switch (checked.kind) {
      case 'none':
        return { done: () => undefined };
      case 'moot':
        return { done: () => ({ moot: checked.addressed }) };
      case 'pending':
        return { done: () => checked.addressed };
      case 'marked': {
        const done = () => {
          const dimensions = { department: department.id };
          if (checked.action === 'breach') {
            run.breached++;
            deps.metrics?.count('DeadlineBreaches', dimensions);
          } else {
            run.warned++;
            deps.metrics?.count('DeadlineWarnings', dimensions);
          }
          if (checked.dropped)
            warningDropped(
              checked.addressed.inquiry.id,
              checked.dropped,
              department.id,
              'breach_of_another_deadline',
            );
          return checked.addressed;
        };
        return { write: checked.addressed.inquiry, history: checked.history, done };
      }
    }
  }

  /** Another writer's change, or another run's, of one inquiry: the notice is left pending, as read. */
  function claimFailed(id: string, department: Department, run: EscalationRun, error: unknown, what: string) {
    run.failed++;
    deps.metrics?.count('EscalationErrors', { department: department.id });
    deps.logError?.(`escalator: a critical notice could not be ${what}`, {
      inquiryId: id,
      department: department.id,
      error: errorSummary(error),
    });
  }

  /**
   * Claims the critical notices among `pending` for the run (notice-claim.ts) before any e-mail tells of them:
   * a raise to critical that an operator sets back from then on is not undone (critical-notice.ts), as its
   * e-mail may be on its way. One its inquiry holds no more (the raise undone before the claim, the inquiry
   * answered or moved meanwhile), another run's, or one whose claim could not be written (sent by a later run)
   * is left out; each claimed is told as its inquiry stands then. Warnings and breaches are sent as checked:
   * nothing undoes them, and a claim each would double a Monday morning's writes.
   */
  async function claimCritical(
    department: Department,
    pending: AddressedNotice[],
    runId: string,
    run: EscalationRun,
  ): Promise<AddressedNotice[]> {
    const claimed = new Map<string, AddressedNotice>();
    const critical = pending.filter((addressed) => addressed.notice.kind === 'critical');
    await atMostAtOnce(critical, CLEARS_AT_ONCE, async (addressed) => {
      const { inquiry, notice: sent } = addressed;
      try {
        const mine = await changeInquiryWithRetries<Inquiry | undefined>(
          inquiries,
          inquiry.id,
          (current) => {
            const write = claimNotice(current, sent, runId, deps.clock.now(), CLAIM_LAPSE_MS);
            return write ? { write, history: [], done: () => write } : { done: () => undefined };
          },
          { maxAttempts: MAX_ATTEMPTS, first: inquiry },
        );
        if (mine?.pendingNotification)
          claimed.set(inquiry.id, { ...addressed, inquiry: mine, notice: mine.pendingNotification });
      } catch (error) {
        claimFailed(inquiry.id, department, run, error, 'claimed for its e-mail');
      }
    });
    return pending.flatMap((addressed) =>
      addressed.notice.kind === 'critical' ? (claimed.get(addressed.inquiry.id) ?? []) : [addressed],
    );
  }

  /**
   * The run's claims on the critical notices of a digest that was not published, given back (notice-claim.ts):
   * the next run sends them. One that could not be given back lapses (CLAIM_LAPSE_MS, less than the schedule's
   * interval), and the next run sends it all the same.
   */
  async function releaseClaims(
    department: Department,
    told: AddressedNotice[],
    runId: string,
    run: EscalationRun,
  ) {
    const critical = told.filter((addressed) => addressed.notice.sending?.run === runId);
    await atMostAtOnce(critical, CLEARS_AT_ONCE, async ({ inquiry, notice }) => {
      try {
        await changeInquiryWithRetries(
          inquiries,
          inquiry.id,
          (current) => {
            const write = releaseNotice(current, notice, runId);
            return write ? { write, history: [], done: () => true } : { done: () => false };
          },
          { maxAttempts: MAX_ATTEMPTS, first: inquiry },
        );
      } catch (error) {
        claimFailed(inquiry.id, department, run, error, 'given back after its e-mail was refused');
      }
    });
  }

  /**
   * The department's pending notices as its digest(s), its critical ones claimed first (claimCritical); each
   * notice cleared once its digest is published, and a claim given back if it was not.
   */
  async function notify(
    department: Department,
    checked: AddressedNotice[],
    now: Date,
    runId: string,
    run: EscalationRun,
  ) {
    const pending = await claimCritical(department, checked, runId, run);
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
        run.failed += ids.length;
        deps.metrics?.count('EscalationErrors', { department: department.id }, ids.length);
        deps.logError?.('escalator: a deadline digest could not be sent', {
          department: department.id,
          inquiryIds: ids,
          error: errorSummary(error),
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
      await atMostAtOnce(ids, CLEARS_AT_ONCE, async (id) => {
        const addressed = byId.get(id);
        if (!addressed) return;
        try {
          const cleared = await clearPending(addressed);
          run.notified++;
          // A critical inquiry told to its department (new, raised or reopened), counted once: when its
          // notice is sent and cleared, as the breach below.
          if (cleared && addressed.notice.kind === 'critical')
            deps.metrics?.count('CriticalNotices', { department: department.id });
          // A raise that escalated its clock at once (critical-notice.ts) is a breach of this department's,
          // counted as the escalator's own are, once: when its notice is sent and cleared.
          if (cleared && addressed.notice.kind === 'critical' && addressed.notice.escalated) {
            run.breached++;
            deps.metrics?.count('DeadlineBreaches', { department: department.id });
          }
        } catch (error) {
          // Sent, but still pending: the next digest tells of it again (a duplicate, never a loss).
          run.failed++;
          deps.metrics?.count('EscalationErrors', { department: department.id });
          deps.logError?.('escalator: a sent notice could not be cleared', {
            inquiryId: id,
            department: department.id,
            error: errorSummary(error),
          });
        }
      });
    }
  }

  /** Checks one inquiry of the department in hand, keeping what it finds to send; a failure is counted. */
  async function checkOne(hand: DepartmentInHand, id: string, run: EscalationRun) {
    const { department } = hand;
    hand.seen.add(id);
    run.checked++;
    try {
      const checked = await check(id, department, run);
      if (checked) hand.held.push(checked);
    } catch (error) {
      // The failing inquiry is the earliest in the index, so it would come first on every run: it must
      // not keep the department's later inquiries, or the next departments, from being warned.
      run.failed++;
      deps.metrics?.count('EscalationErrors', { department: department.id });
      deps.logError?.('escalator: an inquiry could not be checked', {
        inquiryId: id,
        department: department.id,
        error: errorSummary(error),
      });
    }
  }

  /**
   * Reads the next page of a part of the department's due inquiries and checks them, CHECKS_AT_ONCE at a time,
   * starting each only while the run has time. Each inquiry once: `seen` keeps out one listed again (a notice
   * marked is keyed in the index by when it was marked, and one marked in the run's own millisecond is due by
   * it), so that no two checks of one inquiry ever run at once. `cut`: the run's time ran out first.
   */
  async function checkPage(
    hand: DepartmentInHand,
    part: DuePart,
    now: Date,
    hasTime: () => boolean,
    run: EscalationRun,
  ): Promise<'more' | 'done' | 'cut'> {
    if (!hasTime()) return 'cut';
    const after = hand.after[part];
    const page = await inquiries.dueForEscalation(hand.department.id, now, {
      limit: pageSize,
      part,
      ...(after !== undefined && { after }),
    });
    const ids = [...new Set(page.inquiries.map((inquiry) => inquiry.id))].filter((id) => !hand.seen.has(id));
    const begun = await atMostAtOnce(ids, CHECKS_AT_ONCE, (id) => checkOne(hand, id, run), hasTime);
    if (begun < ids.length) return 'cut';
    if (page.after === undefined) return 'done';
    hand.after[part] = page.after;
    return 'more';
  }

  /**
   * Sends the notices the department holds: each to its addressee (one marked before the inquiry moved here
   * goes to the department it was marked for, in an e-mail of its own; one for a department configured no
   * more, to this one).
   */
  async function send(hand: DepartmentInHand, now: Date, runId: string, run: EscalationRun) {
    const byAddressee = new Map<string, { addressee: Department; notices: AddressedNotice[] }>();
    for (const addressed of hand.held.splice(0)) {
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
  }

  /**
   * Counts what the departments a run left have due, once its notices are sent: how far behind the escalator
   * is. A count that fails loses nothing (the next run finds them all the same), so it fails no run.
   */
  async function countLeft(left: Department[], run: EscalationRun): Promise<void> {
    const now = deps.clock.now();
    for (const department of left) {
      try {
        const count = await inquiries.countDueForEscalation(department.id, now);
        run.checksLeft += count;
        if (count > 0) deps.metrics?.count('EscalationChecksLeft', { department: department.id }, count);
      } catch (error) {
        deps.logError?.('escalator: the inquiries left to the next run could not be counted', {
          department: department.id,
          error: errorSummary(error),
        });
      }
    }
  }

  /**
   * Checks the departments' due inquiries while the run has time: first the critical work of every department
   * (isCriticalWork), then the rest a page of each department in turn, so that one department's backlog (a
   * weekend's inquiries share their warning and due times, the clock standing still out of working hours)
   * neither holds back the critical inquiry routed behind it nor takes the run's time from the others. A
   * department's notices go out as one e-mail once its due inquiries are checked; sooner when it holds critical
   * work (its departments are the first of the turns, so that the news goes after one page of their backlog,
   * not at the end of the run), or when the run holds many (NOTICES_HELD_AT_MOST). True when time ran out
   * first.
   */
  async function checkDepartments(
    hands: DepartmentInHand[],
    now: Date,
    hasTime: () => boolean,
    runId: string,
    run: EscalationRun,
  ): Promise<boolean> {
    for (const hand of hands) {
      let read: 'more' | 'done' | 'cut';
      do read = await checkPage(hand, 'critical', now, hasTime, run);
      while (read === 'more');
      if (read === 'cut') return true;
    }
    const turns = [...hands.filter(holdsCriticalWork), ...hands.filter((hand) => !holdsCriticalWork(hand))];
    for (let left = turns; left.length > 0; left = left.filter((hand) => !hand.done)) {
      for (const hand of left) {
        const read = await checkPage(hand, 'rest', now, hasTime, run);
        if (read === 'cut') return true;
        hand.done = read === 'done';
        if (hand.done || holdsCriticalWork(hand) || heldIn(hands) >= NOTICES_HELD_AT_MOST)
          await send(hand, now, runId, run);
      }
    }
    return false;
  }

  /** The run's departments, from the run's first on, while it has time. */
  async function runDepartments(now: Date, hasTime: () => boolean, run: EscalationRun) {
    // The run's own id, which its claims on notices bear (notice-claim.ts).
    const runId = randomUUID();
    const first = firstDepartmentOf(now, config.departments.length);
    const hands = [...config.departments.slice(first), ...config.departments.slice(0, first)].map(
      (department): DepartmentInHand => ({ department, seen: new Set(), held: [], after: {}, done: false }),
    );
    if (await checkDepartments(hands, now, hasTime, runId, run)) {
      // What the departments in hand hold goes out before the run stops: the time it keeps is for that.
      for (const hand of hands) if (hand.held.length > 0) await send(hand, now, runId, run);
      const left = hands.filter((hand) => !hand.done);
      run.departmentsLeft = left.length;
      // One a run cut short, of the whole service: runs cut short one after another (a backlog, a slow table)
      // make every deadline notice late, and only this count's alarm tells, as no invocation fails for it.
      deps.metrics?.count('EscalatorRunsStoppedForTime');
      await countLeft(
        left.map((hand) => hand.department),
        run,
      );
    }
    return run;
  }

  /**
   * `hasTime`: whether the run may take up another department, page or inquiry. Once it says no, the run sends
   * the notices of the departments in hand, counts what the departments it left have due, and stops; the rest
   * waits for the next run.
   */
  return async function escalate(hasTime: () => boolean = () => true): Promise<EscalationRun> {
    const run: EscalationRun = {
      checked: 0,
      warned: 0,
      breached: 0,
      notified: 0,
      digests: 0,
      failed: 0,
      departmentsLeft: 0,
      checksLeft: 0,
    };
    const now = deps.clock.now();
    // Held for as long as a run can last: one that crashed keeps the next from running only until then.
    const token = await deps.lease?.take(now, new Date(now.getTime() + ESCALATOR.timeoutSeconds * 1000));
    if (deps.lease && token === undefined) return { ...run, alreadyRunning: true };
    try {
      return await runDepartments(now, hasTime, run);
    } finally {
      // Not given back, it lapses at its time: the next run, minutes later, takes it all the same.
      if (token !== undefined)
        await deps.lease?.release(token).catch((error: unknown) =>
          deps.logError?.('escalator: the run lease could not be given back', {
            error: errorSummary(error),
          }),
        );
    }
  };
}
