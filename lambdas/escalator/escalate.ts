import { maskPersonalData } from '../domain/classifier/pii.js';
import type { AppConfig } from '../domain/config/schema.js';
import { errorSummary } from '../domain/error-summary.js';
import type { HistoryEntry, Inquiry } from '../domain/inquiry/inquiry.js';
import { applyEvent, clockCause, escalationDue } from '../domain/inquiry/state-machine.js';
import {
  type Clock,
  type EscalationNotifier,
  type InquiryRepository,
  type ProductMetrics,
  VersionConflictError,
} from '../domain/ports.js';
import { wordsOf } from '../domain/vk/quoted.js';

export interface EscalatorDeps {
  config: AppConfig;
  inquiries: InquiryRepository;
  clock: Clock;
  notifier: EscalationNotifier;
  metrics?: ProductMetrics;
  /** Told of an inquiry that could not be checked; the fields hold ids, never the citizen's words. */
  logError?: (message: string, fields: Record<string, unknown>) => void;
  /** Most inquiries looked at per department and run; the rest wait for the next run. */
  batchLimit?: number;
}

export interface EscalationRun {
  checked: number;
  warned: number;
  breached: number;
  notified: number;
  /** Inquiries whose check failed: the run went on to the next, and they are checked again next run. */
  failed: number;
}

const MAX_ATTEMPTS = 5;

/** How many characters of the citizen's words a notification carries: enough to recognise the case. */
export const NOTIFICATION_TEXT_LENGTH = 300;

/**
 * The citizen's words as a notification carries them: personal data masked and cut short, since the e-mail
 * that SNS sends on leaves our encryption; operators read the whole text in the console.
 */
export function notificationText(text: string): string {
  const characters = [...maskPersonalData(text)];
  if (characters.length <= NOTIFICATION_TEXT_LENGTH) return characters.join('');
  return `${characters.slice(0, NOTIFICATION_TEXT_LENGTH).join('')}…`;
}

/**
 * One run of the escalator: for each department, the open inquiries whose warning point (80 % of the time)
 * or due time has come, through the sparse escalation index (a Query per department, never a scan). Each
 * clock is warned once and escalated once: the mark is a conditional write on the inquiry's version, with
 * its history entry; the department is notified after the mark is stored, and the notification stays pending
 * on the inquiry until it is sent.
 */
export function createEscalator(deps: EscalatorDeps) {
  const { config, inquiries } = deps;
  const limit = deps.batchLimit ?? 100;

  async function send(inquiry: Inquiry): Promise<boolean> {
    const pending = inquiry.pendingNotification;
    if (!pending || !inquiry.department) return false;
    const department = config.departments.find((candidate) => candidate.id === inquiry.department);
    await deps.notifier.notify({
      kind: pending.kind,
      inquiryId: inquiry.id,
      department: inquiry.department,
      recipients: department?.notify ?? [],
      groupId: inquiry.groupId,
      category: inquiry.category,
      priority: inquiry.priority,
      clock: pending.clock,
      dueAt: pending.dueAt,
      // The words it was classified on: one that only forwards a complaint is not sent out blank.
      text: notificationText(wordsOf(inquiry)),
    });
    // Sent: clear it, unless someone changed the inquiry meanwhile (then clear it on top of their change).
    for (let attempt = 1; ; attempt++) {
      const current = attempt === 1 ? inquiry : await inquiries.getInquiry(inquiry.id);
      if (!current?.pendingNotification) return true;
      const { pendingNotification, ...rest } = current;
      try {
        await inquiries.update({ ...rest, version: current.version + 1 }, current.version, []);
        return true;
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The repository writes an update's history before the inquiry, so an attempt that lost the race to
   * another writer (an operator's answer) leaves the entry of a warning or an escalation that never happened.
   * It is deleted once the check is done, unless the saved change rewrote it or the inquiry took its cause
   * from another run (the key comes from the clock, so that run's entry is this one).
   */
  async function handle(id: string, run: EscalationRun): Promise<void> {
    const unsaved: { key: string; cause: string }[] = [];
    const discardUnsaved = async (current: Inquiry | undefined, saved: HistoryEntry[] = []) => {
      const keys = unsaved
        .filter(
          ({ key, cause }) => !saved.some((entry) => entry.key === key) && !current?.causes.includes(cause),
        )
        .map(({ key }) => key);
      if (keys.length > 0) await inquiries.discardHistory(id, keys);
    };
    for (let attempt = 1; ; attempt++) {
      // The index may lag behind the item: decide on a consistent read.
      const inquiry = await inquiries.getInquiry(id);
      if (!inquiry) return discardUnsaved(inquiry);
      if (inquiry.pendingNotification) {
        if (await send(inquiry)) run.notified++;
        if (attempt >= MAX_ATTEMPTS) return discardUnsaved(inquiry);
        continue;
      }
      const now = deps.clock.now();
      const action = escalationDue(inquiry, now);
      if (!action) return discardUnsaved(inquiry);
      // A warning or an escalation starts no clock: no calendar, so an inquiry of a community since removed
      // from the configuration is still warned and escalated.
      const result = applyEvent(inquiry, { type: action, now: now.toISOString() }, { now });
      const clock = inquiry.clock;
      if (result.outcome !== 'changed' || !clock) return discardUnsaved(inquiry);
      const marked: Inquiry = {
        ...result.inquiry,
        pendingNotification: {
          kind: action === 'breach' ? 'breach' : 'warning',
          clock: clock.kind,
          dueAt: clock.dueAt,
          at: now.toISOString(),
        },
      };
      try {
        await inquiries.update(marked, inquiry.version, result.history);
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        const cause = clockCause(action, inquiry);
        unsaved.push(...result.history.map((entry) => ({ key: entry.key, cause })));
        if (attempt < MAX_ATTEMPTS) continue;
        await discardUnsaved(await inquiries.getInquiry(id));
        throw error;
      }
      await discardUnsaved(inquiry, result.history);
      const dimensions = { department: inquiry.department ?? 'none' };
      if (action === 'breach') {
        run.breached++;
        deps.metrics?.count('DeadlineBreaches', dimensions);
      } else {
        run.warned++;
        deps.metrics?.count('DeadlineWarnings', dimensions);
      }
      if (await send(marked)) run.notified++;
      return;
    }
  }

  return async function escalate(): Promise<EscalationRun> {
    const run: EscalationRun = { checked: 0, warned: 0, breached: 0, notified: 0, failed: 0 };
    const now = deps.clock.now();
    for (const department of config.departments) {
      const due = await inquiries.dueForEscalation(department.id, now, limit);
      for (const inquiry of due) {
        run.checked++;
        try {
          await handle(inquiry.id, run);
        } catch (error) {
          // The failing inquiry is the earliest in the index, so it would come first on every run: it must
          // not keep the department's later inquiries, or the next departments, from being warned.
          run.failed++;
          deps.metrics?.count('EscalationErrors', { department: department.id });
          deps.logError?.('escalator: an inquiry could not be checked', {
            inquiryId: inquiry.id,
            department: department.id,
            error: errorSummary(error),
          });
        }
      }
    }
    return run;
  };
}
