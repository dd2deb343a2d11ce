import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';

/**
 * An inquiry routed to housing on Monday 16 March 2026 at 09:00 in Perm (04:00 UTC), 4 working hours to its
 * first response: due at 08:00 UTC, warned of at 07:12 UTC. `more` changes what a test is about.
 */
export const routedInquiry = (more: Partial<Inquiry> = {}): Inquiry => ({
  id: 'i1',
  groupId: 1,
  channel: 'direct_message',
  replyTo: { channel: 'direct_message', peerId: 5 },
  conversationKey: 'dm:5',
  authorId: 5,
  text: 'Не вывозят мусор',
  status: 'routed',
  category: 'waste',
  priority: 'high',
  confidence: 0.9,
  triage: false,
  department: 'housing',
  terms: { firstResponseHours: 4, resolutionHours: 56 },
  clock: {
    kind: 'first_response',
    cycle: 1,
    startedAt: '2026-03-16T04:00:00.000Z',
    dueAt: '2026-03-16T08:00:00.000Z',
    warnAt: '2026-03-16T07:12:00.000Z',
    warned: false,
    breached: false,
  },
  firstResponseDueAt: '2026-03-16T08:00:00.000Z',
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
  ...more,
});
