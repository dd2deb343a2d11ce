import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../lambdas/adapters/config.js';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { inquiryView } from '../../../lambdas/domain/operator/view.js';
import { routedInquiry } from '../../support/routed-inquiry.js';

const config = readConfigFile('config/local.json');
const admin = { id: 'sub-admin', name: 'Администратор', admin: true, departments: [] };

/** An inquiry reopened once, raised past its due time, with the bookkeeping such an inquiry keeps. */
const kept: Inquiry = {
  ...routedInquiry({ status: 'reopened', reopenCount: 1 }),
  conversationKey: 'dm:123456789:5',
  causes: ['e:1', 'op:sub-admin:reply:r1:abc'],
  sourceEventKey: 'e:1',
  answerCause: 'op:sub-admin:reply:r1:abc',
  firstResponseCause: 'op:sub-admin:reply:r1:abc',
  routeCause: 'e:1',
  reopenCause: 'e:2',
  raiseCause: 'e:3',
  assignedAt: '2026-03-16T05:00:00.000Z',
  pastHolders: { departments: ['housing'], operators: ['sub-admin'], version: 3 },
  undeliveredWords: ['i1:answer:op:sub-admin:reply:r1:abc'],
  unseenFollowUp: { outboxId: 'i1:answer:op:1', at: '2026-03-16T05:00:00.000Z' },
  comments: [
    {
      messageRef: 'c:1',
      sentAt: '2026-03-16T04:00:00.000Z',
      replyTo: { channel: 'direct_message', peerId: 5 },
    },
  ],
  clock: {
    ...(routedInquiry().clock as NonNullable<Inquiry['clock']>),
    raisedPastDue: { from: 'normal', to: 'critical', at: '2026-03-16T05:00:00.000Z' },
  },
  earlierCycles: [
    {
      status: 'answered',
      startedAt: '2026-03-15T04:00:00.000Z',
      endedAt: '2026-03-16T04:00:00.000Z',
      answeredAt: '2026-03-15T05:00:00.000Z',
      answerCause: 'op:sub-admin:reply:r1:abc',
      firstResponseCause: 'op:sub-admin:reply:r1:abc',
    },
  ],
};

describe('an inquiry as the operator API shows it', () => {
  it('gives none of its bookkeeping: not the conversation key, the causes, who had it, the comments kept, nor the words VK refused', () => {
    const view = inquiryView(kept, admin, new Map(), config);
    for (const field of [
      'conversationKey',
      'causes',
      'sourceEventKey',
      'answerCause',
      'firstResponseCause',
      'routeCause',
      'reopenCause',
      'raiseCause',
      'assignedAt',
      'pastHolders',
      'undeliveredWords',
      'unseenFollowUp',
      'comments',
    ])
      expect(view, field).not.toHaveProperty(field);
    // Nor in what it keeps of its clock and of the cycle it ended.
    expect(view.clock).toEqual({ ...kept.clock, raisedPastDue: undefined });
    expect(view.clock).not.toHaveProperty('raisedPastDue');
    expect(view.earlierCycles?.[0]).not.toHaveProperty('answerCause');
    expect(view.earlierCycles?.[0]).not.toHaveProperty('firstResponseCause');
    expect(view.earlierCycles?.[0]).toMatchObject({
      status: 'answered',
      answeredAt: '2026-03-15T05:00:00.000Z',
    });
  });
});
