import { describe, expect, it } from 'vitest';
import { malformedAttributesOf } from '../../../lambdas/domain/inquiry/stored-inquiry.js';

const clock = {
  kind: 'resolution',
  cycle: 2,
  startedAt: '2026-03-16T04:00:00.000Z',
  dueAt: '2026-03-20T04:00:00.000Z',
  warnAt: '2026-03-19T04:00:00.000Z',
  warned: false,
  breached: false,
};

/** An inquiry item holding every attribute the check reads, each as the code writes it. */
const whole: Record<string, unknown> = {
  pk: 'INQ#inq-1',
  sk: 'INQUIRY',
  entity: 'inquiry',
  id: 'inq-1',
  groupId: 100_001,
  channel: 'wall_comment',
  replyTo: { channel: 'wall_comment', ownerId: -100_001, postId: 5, commentId: 7 },
  conversationKey: 'wall:-100001:5',
  authorId: 42,
  text: 'Не вывозят мусор',
  status: 'in_progress',
  category: 'waste',
  priority: 'high',
  caseNumber: 'ЖКХ-2026-0001',
  department: 'housing',
  terms: { firstResponseHours: 8, resolutionHours: 72 },
  clock,
  firstResponseClock: { ...clock, kind: 'first_response' },
  firstResponseStartedAt: '2026-03-16T04:00:00.000Z',
  firstResponseDueAt: '2026-03-16T12:00:00.000Z',
  firstRespondedAt: '2026-03-16T05:00:00.000Z',
  resolutionDueAt: '2026-03-20T04:00:00.000Z',
  answeredAt: '2026-03-17T04:00:00.000Z',
  closedAt: '2026-03-18T04:00:00.000Z',
  finishedAt: '2026-03-18T04:00:00.000Z',
  citizenSettledAt: '2026-03-18T04:00:00.000Z',
  pendingNotification: {
    kind: 'warning',
    clock: 'resolution',
    dueAt: '2026-03-20T04:00:00.000Z',
    at: '2026-03-19T04:00:00.000Z',
  },
  comments: [{ replyTo: { channel: 'wall_comment', ownerId: -100_001, postId: 5, commentId: 9 } }],
  earlierCycles: [
    { status: 'closed', startedAt: '2026-03-10T04:00:00.000Z', closedAt: '2026-03-11T04:00:00.000Z' },
  ],
  undelivered: {
    outboxId: 'out-1',
    purpose: 'answer',
    reason: 'VK error 15',
    at: '2026-03-17T04:00:00.000Z',
  },
  assignee: { id: 'op-1', name: 'Иванова' },
  pastHolders: { departments: ['roads'], operators: ['op-2'], version: 3 },
  clockCount: 2,
  messageCount: 2,
  reopenCount: 1,
  lastMessageAt: '2026-03-16T04:00:00.000Z',
  createdAt: '2026-03-10T04:00:00.000Z',
  updatedAt: '2026-03-18T04:00:00.000Z',
  version: 5,
  causes: ['event-1'],
};

/** Each attribute with a value of a shape the code does not read. */
const misshapen: [string, unknown][] = [
  ['id', ''],
  ['groupId', 100_001.5],
  ['channel', 'telegram'],
  ['replyTo', { channel: 'wall_comment', ownerId: -100_001, postId: 5 }],
  ['conversationKey', 5],
  ['authorId', '42'],
  ['text', null],
  ['status', 'open'],
  ['category', ''],
  ['priority', 'urgent'],
  ['caseNumber', 1],
  ['department', ''],
  ['terms', { firstResponseHours: '8', resolutionHours: 72 }],
  ['clock', 'running'],
  ['firstResponseClock', { ...clock, warned: 'no' }],
  ['firstResponseStartedAt', '16.03.2026 10:00'],
  ['firstResponseDueAt', '16.03.2026 10:00'],
  ['firstRespondedAt', '16.03.2026 10:00'],
  ['resolutionDueAt', '16.03.2026 10:00'],
  ['answeredAt', '16.03.2026 10:00'],
  ['closedAt', '16.03.2026 10:00'],
  ['finishedAt', '16.03.2026 10:00'],
  ['citizenSettledAt', '16.03.2026 10:00'],
  ['pendingNotification', { kind: 'warning', clock: 'resolution', at: '2026-03-19T04:00:00.000Z' }],
  ['comments', [{ replyTo: { channel: 'wall_comment', ownerId: -100_001, postId: 5 } }]],
  ['earlierCycles', [{ startedAt: '2026-03-10T04:00:00.000Z' }]],
  ['undelivered', 'нет'],
  ['assignee', { id: 'op-1' }],
  ['pastHolders', { departments: ['roads'], operators: 'op-2', version: 3 }],
  ['clockCount', -1],
  ['messageCount', 2.5],
  ['reopenCount', '1'],
  ['lastMessageAt', 1_773_633_600_000],
  ['createdAt', '2026-03-10'],
  ['updatedAt', '2026-03-18T07:00:00+03:00'],
  ['version', -1.5],
  ['causes', 'event-1'],
];

const without = (item: Record<string, unknown>, attribute: string) =>
  Object.fromEntries(Object.entries(item).filter(([name]) => name !== attribute));

describe('malformedAttributesOf', () => {
  it('reads an item holding every attribute the code writes, and one holding only those every release writes', () => {
    expect(malformedAttributesOf(whole)).toBeUndefined();
    const optional = [
      'caseNumber',
      'department',
      'terms',
      'clock',
      'firstResponseClock',
      'firstResponseStartedAt',
      'firstResponseDueAt',
      'firstRespondedAt',
      'resolutionDueAt',
      'answeredAt',
      'closedAt',
      'finishedAt',
      'citizenSettledAt',
      'pendingNotification',
      'comments',
      'earlierCycles',
      'undelivered',
      'assignee',
      'pastHolders',
      'clockCount',
    ];
    expect(malformedAttributesOf(optional.reduce(without, whole))).toBeUndefined();
  });

  it.each([
    'id',
    'groupId',
    'channel',
    'replyTo',
    'conversationKey',
    'authorId',
    'text',
    'status',
    'category',
    'priority',
    'messageCount',
    'reopenCount',
    'lastMessageAt',
    'createdAt',
    'updatedAt',
    'version',
    'causes',
  ])('names %s, which every release writes, missing', (attribute) => {
    expect(malformedAttributesOf(without(whole, attribute))).toEqual([attribute]);
  });

  it.each(misshapen)('names %s of a shape the code does not read, once', (attribute, value) => {
    const found = malformedAttributesOf({ ...whole, [attribute]: value });
    expect(found).toHaveLength(1);
    expect(found?.[0]?.startsWith(attribute)).toBe(true);
  });

  it('names an attribute inside another by its path, as the console shows it', () => {
    expect(malformedAttributesOf({ ...whole, clock: without(clock, 'dueAt') })).toEqual(['clock.dueAt']);
    expect(malformedAttributesOf({ ...whole, earlierCycles: [{}, { status: 'lost' }] })).toEqual([
      'earlierCycles[0].status',
      'earlierCycles[1].status',
    ]);
    // The times of an ended cycle, which the statistics count by.
    const late = { status: 'closed', firstRespondedAt: '16.03.2026 10:00', closedAt: '16.03.2026 12:00' };
    expect(malformedAttributesOf({ ...whole, earlierCycles: [late] })).toEqual([
      'earlierCycles[0].firstRespondedAt',
      'earlierCycles[0].closedAt',
    ]);
  });

  it("reads the statistics' projection for their fields alone, of the same shapes", () => {
    const fields = [
      'department',
      'groupId',
      'status',
      'category',
      'createdAt',
      'reopenCount',
      'firstResponseStartedAt',
      'firstResponseDueAt',
      'firstRespondedAt',
      'resolutionDueAt',
      'answeredAt',
      'closedAt',
      'undelivered',
      'earlierCycles',
      'terms',
      'citizenSettledAt',
    ];
    const counted = Object.fromEntries(fields.map((field) => [field, whole[field]]));
    expect(malformedAttributesOf(counted, 'counted')).toBeUndefined();
    expect(malformedAttributesOf(counted)).toBeDefined();
    for (const [field, value] of misshapen.filter(([attribute]) => fields.includes(attribute))) {
      const found = malformedAttributesOf({ ...counted, [field]: value }, 'counted');
      expect(found, field).toHaveLength(1);
      expect(found?.[0]?.startsWith(field), field).toBe(true);
    }
    // The answer's cause, which the operators' figures read as text: of another shape, the item is left out.
    expect(
      malformedAttributesOf({ ...counted, answerCause: 'op:anna:reply:k:f' }, 'counted'),
    ).toBeUndefined();
    expect(malformedAttributesOf({ ...counted, answerCause: 7 }, 'counted')).toEqual(['answerCause']);
  });
});
