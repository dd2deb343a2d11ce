import { describe, expect, it } from 'vitest';
import { INQUIRY_STATUSES, type Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { applyWithoutCommunity } from '../../../lambdas/domain/inquiry/removed-community.js';
import { applyEvent, type InquiryEvent } from '../../../lambdas/domain/inquiry/state-machine.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { permContext as context } from './perm-context.js';

const note: Extract<InquiryEvent, { type: 'note' }> = {
  type: 'note',
  cause: 'op:note-1',
  at: '2026-03-16T12:00:00.000Z',
  text: 'Позвонили жителю, не ответил',
  operatorId: 'sub-boris',
  operatorName: 'Борис Петров',
};

/** What a change may move on without changing the inquiry: its version, time, causes and who acted last. */
const bookkeeping = ({ version, updatedAt, causes, operatorActedAt, ...rest }: Inquiry) => rest;

describe('an operator’s note', () => {
  it.each(INQUIRY_STATUSES)(
    'in %s, held by a colleague, writes one entry and changes nothing else',
    (status) => {
      const inquiry: Inquiry = {
        ...routedInquiry({ status }),
        assignee: { id: 'sub-anna', name: 'Анна Иванова' },
        assignedAt: '2026-03-16T06:00:00.000Z',
      };
      const result = applyEvent(inquiry, note, context);
      if (result.outcome !== 'changed') throw new Error(`not written: ${JSON.stringify(result)}`);
      expect(bookkeeping(result.inquiry)).toEqual(bookkeeping(inquiry));
      expect(result.inquiry.version).toBe(inquiry.version + 1);
      // A person acted on it: a late message of its burst no longer re-routes it away from its department.
      expect(result.inquiry.operatorActedAt).toBe(note.at);
      expect(result.effects).toEqual([]);
      expect(result.history).toEqual([
        {
          inquiryId: inquiry.id,
          key: `${note.at}#${note.cause}#1`,
          at: note.at,
          kind: 'note',
          actor: 'operator',
          actorId: 'sub-boris',
          actorName: 'Борис Петров',
          reason: 'Позвонили жителю, не ответил',
          detail: {},
        },
      ]);
      // Applied again (a repeated request), it is a duplicate: written once.
      expect(applyEvent(result.inquiry, note, context)).toEqual({ outcome: 'duplicate' });
    },
  );
});

describe('on an inquiry whose community is no longer configured', () => {
  const now = new Date('2026-03-16T12:00:01.000Z');
  it('a note is written, open or finished; a move of an open one is refused, saying what may be done', () => {
    for (const status of ['routed', 'answered'] as const)
      expect(applyWithoutCommunity(routedInquiry({ status }), note, now)).toMatchObject({
        outcome: 'changed',
      });
    const move: InquiryEvent = {
      type: 'move',
      cause: 'op:move-1',
      at: note.at,
      reason: 'не наш район',
      operatorId: 'sub-boris',
      operatorName: 'Борис Петров',
      department: 'roads',
    };
    const open = routedInquiry({ status: 'routed' });
    expect(applyWithoutCommunity(open, move, now)).toEqual({
      outcome: 'refused',
      reason:
        `the inquiry's community ${open.groupId} is no longer configured: only a note may be written, or a ` +
        'finished inquiry moved to another department alone',
    });
  });
});
