import { describe, expect, it } from 'vitest';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import type { InquiryEvent, TransitionContext } from '../../../lambdas/domain/inquiry/state-machine.js';
import { LISTED_UNDER_TRIAGE, rejectToTriage } from '../../../lambdas/domain/operator/reject.js';
import { perm } from '../sla/calendars.js';

const context: TransitionContext = {
  calendar: perm,
  warnAtFraction: 0.8,
  now: new Date('2026-03-16T12:00:00Z'),
};

/** An advertisement routed to housing as a complaint, its first-response clock running. */
const routed = (department = 'housing'): Inquiry => ({
  id: 'i1',
  groupId: 1,
  channel: 'direct_message',
  replyTo: { channel: 'direct_message', peerId: 5 },
  conversationKey: 'dm:5',
  authorId: 5,
  text: 'Продам гараж',
  status: 'routed',
  category: 'waste',
  priority: 'normal',
  confidence: 0.6,
  triage: false,
  department,
  terms: { firstResponseHours: 8, resolutionHours: 80 },
  clock: {
    kind: 'first_response',
    cycle: 1,
    startedAt: '2026-03-16T04:00:00.000Z',
    dueAt: '2026-03-16T12:00:00.000Z',
    warnAt: '2026-03-16T10:24:00.000Z',
    warned: false,
    breached: false,
  },
  firstResponseDueAt: '2026-03-16T12:00:00.000Z',
  clockCount: 1,
  escalated: false,
  messageCount: 1,
  lastMessageAt: '2026-03-16T04:00:00.000Z',
  reopenCount: 0,
  createdAt: '2026-03-16T04:00:01.000Z',
  updatedAt: '2026-03-16T04:00:01.000Z',
  version: 3,
  sourceEventKey: 'e:1',
  causes: ['e:1'],
});

const reject: Extract<InquiryEvent, { type: 'reject' }> = {
  type: 'reject',
  cause: 'op:anna:reject:k1:f',
  at: '2026-03-16T11:00:00.000Z',
  reason: 'реклама',
  operatorId: 'sub-anna',
  operatorName: 'Анна Иванова',
};

describe('an operator rejecting a routed inquiry as none', () => {
  it('rejects it and lists it under triage in one change: one version, one cause, entries numbered in turn', () => {
    const result = rejectToTriage(routed(), reject, 'triage', context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'rejected',
      department: 'triage',
      version: 4,
      causes: ['e:1', reject.cause],
    });
    expect(result.inquiry.clock).toBeUndefined();
    expect(result.history.map((entry) => [entry.key, entry.kind, entry.reason])).toEqual([
      [`${reject.at}#${reject.cause}#1`, 'rejected', 'реклама'],
      [`${reject.at}#${reject.cause}#2`, 'moved', LISTED_UNDER_TRIAGE],
    ]);
    expect(result.history[1]?.detail).toMatchObject({ fromDepartment: 'housing', toDepartment: 'triage' });
    // Repeated: nothing to do.
    expect(rejectToTriage(result.inquiry, reject, 'triage', context)).toEqual({ outcome: 'duplicate' });
  });

  it('in the triage department already, only rejects it', () => {
    const result = rejectToTriage(routed('triage'), reject, 'triage', context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({ status: 'rejected', department: 'triage', version: 4 });
    expect(result.history.map((entry) => entry.kind)).toEqual(['rejected']);
  });

  it('once taken, is refused as the state machine refuses it', () => {
    expect(rejectToTriage({ ...routed(), status: 'in_progress' }, reject, 'triage', context)).toMatchObject({
      outcome: 'refused',
    });
  });
});
