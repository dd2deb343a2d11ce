import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { applyEvent } from '../../../lambdas/domain/inquiry/state-machine.js';
import { DROPPED_FROM_DEAD_LETTERS } from '../../../lambdas/domain/outbox/dropped-dead-letter.js';
import type { OutboxMessage } from '../../../lambdas/domain/outbox/outbox-message.js';
import { createInquiryRecording } from '../../../lambdas/responder/record-on-inquiry.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { MemoryInquiryRepository } from '../inquiry/memory-repository.js';
import { perm } from '../sla/calendars.js';

const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
const KEPT = 'VK error 10: Internal server error, on every try: kept in the dead-letter queue';

/** The operator's answer `cause`, as the answers queue carries it. */
const answer = (cause: string, requestedAt: string): OutboxMessage => ({
  kind: 'message_to_citizen',
  id: `i1:answer:${cause}`,
  inquiryId: 'i1',
  groupId: 1,
  purpose: 'answer',
  replyTo: { channel: 'direct_message', peerId: 5 },
  citizenId: 5,
  text: 'Вывезли',
  requestedAt,
  requestedBy: 'op',
});

describe('answers ops dropped from the dead-letter queue', () => {
  it('tells the flag of each one dropped that it is given up, once: not only the first of an inquiry', async () => {
    const inquiries = new MemoryInquiryRepository();
    await inquiries.create(
      routedInquiry({
        status: 'answered',
        clock: undefined,
        answeredAt: '2026-03-16T09:00:00.000Z',
        answerCause: 'op:1',
      }),
      [],
    );
    let now = new Date('2026-03-16T10:00:00.000Z');
    const recording = createInquiryRecording({ config, inquiries, clock: { now: () => now } });
    const first = answer('op:1', '2026-03-16T09:00:00.000Z');
    expect(await recording.recordUndelivered(first, { at: now.toISOString(), reason: KEPT })).toBe('changed');
    expect(await recording.recordDropped(first, '2026-03-16T11:00:00.000Z')).toBe('changed');
    expect((await inquiries.getInquiry('i1'))?.undelivered).toMatchObject({
      outboxId: first.id,
      reason: DROPPED_FROM_DEAD_LETTERS,
    });

    // The department answers again; that answer goes to the dead letters too, and is dropped in its turn.
    const flagged = await inquiries.getInquiry('i1');
    if (!flagged) throw new Error('no inquiry');
    const answered = applyEvent(
      flagged,
      {
        type: 'final_answer',
        cause: 'op:2',
        at: '2026-03-16T12:00:00.000Z',
        operatorId: 9,
        text: 'Вывезли, двор убран',
        via: 'console',
      },
      { calendar: perm, warnAtFraction: 0.8, now },
    );
    if (answered.outcome !== 'changed') throw new Error(answered.outcome);
    await inquiries.update(answered.inquiry, flagged.version, answered.history);
    now = new Date('2026-03-16T13:00:00.000Z');
    const second = answer('op:2', '2026-03-16T12:00:00.000Z');
    expect(await recording.recordUndelivered(second, { at: now.toISOString(), reason: KEPT })).toBe(
      'changed',
    );
    expect((await inquiries.getInquiry('i1'))?.undelivered).toMatchObject({
      outboxId: second.id,
      reason: KEPT,
    });
    expect(await recording.recordDropped(second, '2026-03-16T14:00:00.000Z')).toBe('changed');
    expect((await inquiries.getInquiry('i1'))?.undelivered).toMatchObject({
      outboxId: second.id,
      reason: DROPPED_FROM_DEAD_LETTERS,
    });
    // Its delete failed the first time, and ops drop it again: nothing changes twice.
    expect(await recording.recordDropped(second, '2026-03-16T15:00:00.000Z')).toBe('duplicate');
    // Words the inquiry is not flagged for (the department dealt with them) leave the flag as it is.
    const other = answer('op:3', '2026-03-16T12:30:00.000Z');
    expect(await recording.recordDropped(other, '2026-03-16T15:00:00.000Z')).toBe('refused');
    expect((await inquiries.getInquiry('i1'))?.undelivered).toMatchObject({ outboxId: second.id });
  });
});
