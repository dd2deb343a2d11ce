import type { Inquiry } from './inquiry.js';
import { applyEvent, type ClockContext, type TransitionResult } from './state-machine.js';

type Changed = Extract<TransitionResult, { outcome: 'changed' }>;
/** A change, with the department it moved the inquiry from when it handed it to triage as well. */
export type MovedChange = Changed & { movedFrom?: string };

/** Who the history names for such a move: not an operator, and the same on every delivery of the event. */
export const UNCONFIGURED_DEPARTMENT_MOVER = { id: 'system:unconfigured-department', name: 'система' };

/** The move's cause, from the cause of the change that found the inquiry there: a redelivery finds it made. */
export const unconfiguredMoveCause = (cause: string) => `${cause}#to-triage`;

/**
 * An inquiry left under a department the configuration no longer names (renamed, merged or removed before
 * `departments:move` moved it all) is in no list, and no one is warned of its deadline (docs/runbook.md,
 * "Renaming, merging or removing a department"). A change that finds it there (a citizen's follow-up, its
 * due check) hands it to the community's triage department in the same write, with a `move` in its history
 * that says why, as `departments:move` would: whoever held it under the old id, it is no one's after.
 * Undefined when the inquiry's department is configured (or it has none).
 */
export function toTriageIfUnconfigured(
  inquiry: Inquiry,
  configured: ReadonlySet<string>,
  triageDepartment: string,
  cause: string,
  context: ClockContext,
): Changed | undefined {
  const department = inquiry.department;
  if (department === undefined || configured.has(department)) return undefined;
  const result = applyEvent(
    inquiry,
    {
      type: 'move',
      cause: unconfiguredMoveCause(cause),
      at: context.now.toISOString(),
      reason: `department ${department} is no longer configured: moved to the community's triage department`,
      operatorId: UNCONFIGURED_DEPARTMENT_MOVER.id,
      operatorName: UNCONFIGURED_DEPARTMENT_MOVER.name,
      department: triageDepartment,
      force: true,
    },
    context,
  );
  return result.outcome === 'changed' ? result : undefined;
}

/** A change, and the move after it that toTriageIfUnconfigured makes of its inquiry, as one change. */
export function withMoveToTriage(
  changed: Changed,
  configured: ReadonlySet<string>,
  triageDepartment: string,
  cause: string,
  context: ClockContext,
): MovedChange {
  const moved = toTriageIfUnconfigured(changed.inquiry, configured, triageDepartment, cause, context);
  if (!moved) return changed;
  return {
    outcome: 'changed',
    inquiry: moved.inquiry,
    history: [...changed.history, ...moved.history],
    effects: [...changed.effects, ...moved.effects],
    movedFrom: changed.inquiry.department,
  };
}
