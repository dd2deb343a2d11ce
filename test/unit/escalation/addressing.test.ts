import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Department, parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import {
  type AddressedNotice,
  addresseeOf,
  checkNotice,
  heldAsItStands,
  notificationOf,
} from '../../../lambdas/domain/escalation/addressing.js';
import { deadlineDigests } from '../../../lambdas/domain/escalation/digest.js';
import type { Inquiry, PendingNotification } from '../../../lambdas/domain/inquiry/inquiry.js';
import type { ReplyTarget } from '../../../lambdas/domain/vk/citizen-message.js';
import { routedInquiry } from '../../support/routed-inquiry.js';

const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
const { departments } = config;
const departmentOf = (id: string): Department => {
  const found = departments.find((one) => one.id === id);
  if (!found) throw new Error(`config/local.json names no ${id} department`);
  return found;
};
const housing = departmentOf('housing');
const roads = departmentOf('roads');

/** Warned at 07:12Z, due at 08:00Z (Mon 16 March 2026, 12:12 and 13:00 in Perm). */
const WARN_AT = '2026-03-16T07:12:00.000Z';
const DUE_AT = '2026-03-16T08:00:00.000Z';
const beforeWarning = new Date('2026-03-16T07:00:00.000Z');
const afterWarning = new Date('2026-03-16T07:30:00.000Z');
const afterDue = new Date('2026-03-16T08:30:00.000Z');

/** An inquiry of the demo community, routed to `department` on Monday 16 March 2026 at 09:00 in Perm. */
const routed = (department: string, more: Partial<Inquiry> = {}): Inquiry =>
  routedInquiry({ caseNumber: '2026-000042', groupId: 123456789, category: 'housing', department, ...more });

/** The inquiry warned of its first response, the warning still pending for `department`. */
const warned = (inquiry: Inquiry, department: string, more: Partial<PendingNotification> = {}): Inquiry => ({
  ...inquiry,
  ...(inquiry.clock && { clock: { ...inquiry.clock, warned: true } }),
  pendingNotification: {
    kind: 'warning',
    clock: 'first_response',
    cycle: 1,
    dueAt: DUE_AT,
    at: WARN_AT,
    department,
    ...more,
  },
});

const digestText = (addressed: AddressedNotice) => {
  const notification = notificationOf(addressed, departments);
  if (!notification) throw new Error('no notification');
  const [digest] = deadlineDigests([notification], {
    department: addressed.addressee,
    communities: config.communities,
    now: afterDue,
  });
  return digest?.text ?? '';
};

describe("a deadline notice's addressee", () => {
  it("is the inquiry's own department, which its run warns, and tells of no move", () => {
    const checked = checkNotice(routed('housing'), housing, departments, afterWarning);
    expect(checked).toMatchObject({ kind: 'marked', action: 'warn' });
    if (checked.kind !== 'marked') return;
    expect(checked.addressed.addressee).toBe(housing);
    expect(checked.addressed.notice).toMatchObject({ kind: 'warning', department: 'housing', dueAt: DUE_AT });
    expect(checked.addressed.inquiry.pendingNotification).toBe(checked.addressed.notice);
    expect(checked.history.length).toBeGreaterThan(0);
    const notification = notificationOf(checked.addressed, departments);
    expect(notification).toMatchObject({ kind: 'warning', inquiryId: 'i1', caseNumber: '2026-000042' });
    expect(notification).not.toHaveProperty('movedFrom');
    expect(notification).not.toHaveProperty('movedTo');
  });

  it("names the community's post a wall comment is under, and no post of a citizen's wall nor a dialogue", () => {
    const commented = (ownerId: number) =>
      routed('housing', {
        channel: 'wall_comment',
        replyTo: { channel: 'wall_comment', ownerId, postId: 42, commentId: 7001, threadCommentId: 7000 },
      });
    const told = (inquiry: Inquiry) => {
      const checked = checkNotice(inquiry, housing, departments, afterWarning);
      if (checked.kind !== 'marked') throw new Error(`not marked: ${checked.kind}`);
      return notificationOf(checked.addressed, departments);
    };
    expect(told(commented(-123456789))?.place).toEqual({ kind: 'wall', ownerId: -123456789, id: 42 });
    // A user's wall is named by the user's id: a citizen's.
    expect(told(commented(5))).not.toHaveProperty('place');
    expect(told(routed('housing'))).not.toHaveProperty('place');
  });

  it("names the community's board topic, photo, video or product a comment is under, as VK's address does", () => {
    const told = (replyTo: ReplyTarget) => {
      const checked = checkNotice(
        routed('housing', { channel: replyTo.channel, replyTo }),
        housing,
        departments,
        afterWarning,
      );
      if (checked.kind !== 'marked') throw new Error(`not marked: ${checked.kind}`);
      return notificationOf(checked.addressed, departments);
    };
    // A board comment names its community by the positive id; VK's address of the topic, by the negative.
    expect(told({ channel: 'board_comment', groupId: 123456789, topicId: 5, commentId: 1 })?.place).toEqual({
      kind: 'topic',
      ownerId: -123456789,
      id: 5,
    });
    expect(told({ channel: 'photo_comment', ownerId: -123456789, photoId: 7, commentId: 1 })?.place).toEqual({
      kind: 'photo',
      ownerId: -123456789,
      id: 7,
    });
    expect(told({ channel: 'video_comment', ownerId: -123456789, videoId: 8, commentId: 1 })?.place).toEqual({
      kind: 'video',
      ownerId: -123456789,
      id: 8,
    });
    expect(told({ channel: 'market_comment', ownerId: -123456789, itemId: 9, commentId: 1 })?.place).toEqual({
      kind: 'product',
      ownerId: -123456789,
      id: 9,
    });
    // A citizen's own photo or video is named by their id.
    expect(told({ channel: 'photo_comment', ownerId: 5, photoId: 7, commentId: 1 })).not.toHaveProperty(
      'place',
    );
    expect(told({ channel: 'video_comment', ownerId: 5, videoId: 8, commentId: 1 })).not.toHaveProperty(
      'place',
    );
    // An owner or an id VK never gives (an id read as 0 or below) names no place the post filter takes.
    for (const replyTo of [
      { channel: 'wall_comment', ownerId: 0, postId: 42, commentId: 1 },
      { channel: 'wall_comment', ownerId: -123456789, postId: 0, commentId: 1 },
      { channel: 'photo_comment', ownerId: -123456789, photoId: -7, commentId: 1 },
    ] as const)
      expect(told(replyTo), JSON.stringify(replyTo)).not.toHaveProperty('place');
  });

  it('is nothing to mark before the warning point, nor again while the warning is pending', () => {
    expect(checkNotice(routed('housing'), housing, departments, beforeWarning)).toEqual({ kind: 'none' });
    const pending = warned(routed('housing'), 'housing');
    const checked = checkNotice(pending, housing, departments, afterWarning);
    expect(checked).toMatchObject({ kind: 'pending', addressed: { addressee: housing } });
  });

  it('hears of the breach in place of a warning still pending: the more pressing', () => {
    const checked = checkNotice(warned(routed('housing'), 'housing'), housing, departments, afterDue);
    expect(checked).toMatchObject({ kind: 'marked', action: 'breach', addressed: { addressee: housing } });
    if (checked.kind === 'marked') expect(checked.addressed.notice.kind).toBe('breach');
    // Of the same deadline: the breach tells of what the warning would have, so nothing is dropped.
    expect(checked).not.toHaveProperty('dropped');
  });

  it('is the department the inquiry moved from, told where it went (Передано в)', () => {
    const moved = warned(routed('roads'), 'housing');
    const checked = checkNotice(moved, housing, departments, afterDue);
    // Told as it is: the department now holding it checks the inquiry's own clocks once it is sent.
    expect(checked).toMatchObject({ kind: 'pending', addressed: { addressee: housing, named: 'housing' } });
    if (checked.kind !== 'pending') return;
    expect(notificationOf(checked.addressed, departments)).toMatchObject({ movedTo: roads.name });
    expect(digestText(checked.addressed)).toContain(`Передано в: ${roads.name}`);
    // The run of the department holding it leaves it alone until then: the notice is for the one it left.
    expect(checkNotice(moved, roads, departments, afterDue)).toMatchObject({
      kind: 'pending',
      addressed: { addressee: housing },
    });
  });

  it('is the department it moved to, told where it came from (Передано из)', () => {
    const following = warned(routed('roads'), 'roads', { movedFrom: 'housing' });
    const checked = checkNotice(following, roads, departments, afterWarning);
    expect(checked).toMatchObject({ kind: 'pending', addressed: { addressee: roads } });
    if (checked.kind !== 'pending') return;
    expect(notificationOf(checked.addressed, departments)).toMatchObject({ movedFrom: housing.name });
    expect(notificationOf(checked.addressed, departments)).not.toHaveProperty('movedTo');
    expect(digestText(checked.addressed)).toContain(`Передано из: ${housing.name}`);
  });

  it('is no one once the inquiry moved on and its notice with it: the new department lists it', () => {
    expect(checkNotice(routed('roads'), housing, departments, afterDue)).toEqual({ kind: 'none' });
    // Its notice went along: the run of a page read before the move neither sends nor clears it.
    expect(checkNotice(warned(routed('roads'), 'roads'), housing, departments, afterDue)).toEqual({
      kind: 'none',
    });
    const answered = warned(routed('roads', { status: 'answered', clock: undefined }), 'roads');
    expect(checkNotice(answered, housing, departments, afterDue)).toEqual({ kind: 'none' });
    expect(checkNotice(undefined, housing, departments, afterDue)).toEqual({ kind: 'none' });
  });

  it('is no one for a warning held back until the clock it tells of stopped: made moot, cleared unsent', () => {
    const answered = warned(
      routed('housing', {
        status: 'answered',
        clock: undefined,
        answeredAt: '2026-03-16T07:40:00.000Z',
      }),
      'housing',
    );
    const checked = checkNotice(answered, housing, departments, afterDue);
    expect(checked).toMatchObject({ kind: 'moot', addressed: { addressee: housing } });
    if (checked.kind === 'moot') expect(notificationOf(checked.addressed, departments)).toBeUndefined();
  });

  it('is the department listing the inquiry when the one its notice names is configured no more: re-homed', () => {
    const orphaned = warned(routed('roads'), 'roads-old');
    expect(
      addresseeOf(orphaned, orphaned.pendingNotification as PendingNotification, roads, departments),
    ).toEqual({
      inquiry: orphaned,
      notice: orphaned.pendingNotification,
      addressee: roads,
      named: 'roads-old',
    });
    const checked = checkNotice(orphaned, roads, departments, afterWarning);
    expect(checked).toMatchObject({ kind: 'pending', addressed: { addressee: roads, named: 'roads-old' } });
    if (checked.kind !== 'pending') return;
    // It came from there, as far as the department now told knows: the id, having no name any more.
    expect(notificationOf(checked.addressed, departments)).toMatchObject({ movedFrom: 'roads-old' });
    expect(digestText(checked.addressed)).toContain('Передано из: roads-old');
  });
});

describe('a notice held since its check, as its inquiry stands when its e-mail goes', () => {
  const held = (inquiry: Inquiry): AddressedNotice => {
    const checked = checkNotice(inquiry, roads, departments, afterWarning);
    if (checked.kind !== 'marked') throw new Error(`not marked: ${checked.kind}`);
    return checked.addressed;
  };

  it('is told as the inquiry stands now: moved since, with where it went', () => {
    const notice = held(routed('roads'));
    const moved = { ...notice.inquiry, department: 'housing', version: notice.inquiry.version + 1 };
    const now = heldAsItStands(notice, moved, departments);
    expect(now).toEqual({ inquiry: moved, notice: notice.notice, addressee: roads, named: 'roads' });
    expect(now && notificationOf(now, departments)).toMatchObject({ movedTo: housing.name });
  });

  it('is left out once the inquiry holds it no more: sent, replaced, or gone', () => {
    const notice = held(routed('roads'));
    const { pendingNotification: _sent, ...sent } = notice.inquiry;
    expect(heldAsItStands(notice, sent, departments)).toBeUndefined();
    // Sent by the turn of the department it moved to, which left that one's own notice in its place.
    const following = warned({ ...notice.inquiry, department: 'housing' }, 'housing', {
      at: afterDue.toISOString(),
      movedFrom: 'roads',
    });
    expect(heldAsItStands(notice, following, departments)).toBeUndefined();
    expect(heldAsItStands(notice, undefined, departments)).toBeUndefined();
  });

  it("is left out once it is told to another department than the one holding it: that one's run sends it", () => {
    // Marked before notices named their department: told to the inquiry's, which it has left since.
    const { department: _unnamed, ...notice } = held(routed('roads')).notice;
    const inquiry = { ...routed('roads'), pendingNotification: notice };
    const addressed = addresseeOf(inquiry, notice, roads, departments);
    expect(heldAsItStands(addressed, inquiry, departments)).toEqual(addressed);
    expect(heldAsItStands(addressed, { ...inquiry, department: 'housing' }, departments)).toBeUndefined();
  });

  it('is kept, moot, for its digest to leave out: the next check clears it', () => {
    const notice = held(routed('roads'));
    const answered: Inquiry = {
      ...notice.inquiry,
      status: 'answered',
      clock: undefined,
      answeredAt: '2026-03-16T07:40:00.000Z',
    };
    const now = heldAsItStands(notice, answered, departments);
    expect(now?.inquiry).toBe(answered);
    expect(now && notificationOf(now, departments)).toBeUndefined();
  });
});

describe('what a deadline notice tells of the inquiry beside its deadline', () => {
  const breached = (inquiry: Inquiry): AddressedNotice => {
    const checked = checkNotice(inquiry, housing, departments, afterDue);
    if (checked.kind !== 'marked') throw new Error(`not marked: ${checked.kind}`);
    return checked.addressed;
  };

  it('names who holds it and since when, or that no one took it, and its status', () => {
    const taken = routed('housing', {
      status: 'in_progress',
      assignee: { id: 'sub-anna', name: 'Анна Котова' },
      assignedAt: '2026-03-16T04:30:00.000Z',
    });
    expect(notificationOf(breached(taken), departments)).toMatchObject({
      status: 'in_progress',
      holder: { name: 'Анна Котова', since: '2026-03-16T04:30:00.000Z' },
    });
    const text = digestText(breached(taken));
    expect(text).toContain('   Статус: в работе\n   В работе у: Анна Котова (взято 16 марта в 09:30)\n');
    expect(text).toContain('   Нужно: дать первый (промежуточный) ответ\n');
    // Taken before the time of taking was kept: the name alone.
    const { assignedAt: _assignedAt, ...takenEarlier } = taken;
    expect(digestText(breached(takenEarlier))).toContain('   В работе у: Анна Котова\n');
    expect(digestText(breached(routed('housing')))).toContain(
      '   Статус: направлено в отдел\n   Никто не взял в работу\n',
    );
  });

  it('says when the citizen wrote that the matter is settled, with none of their words, while it is owed', () => {
    const settledByCitizen = routed('housing', { citizenSettledAt: '2026-03-16T06:10:00.000Z' });
    expect(notificationOf(breached(settledByCitizen), departments)).toMatchObject({
      citizenSettledAt: '2026-03-16T06:10:00.000Z',
    });
    expect(digestText(breached(settledByCitizen))).toContain(
      '   Никто не взял в работу\n   Гражданин написал 16 марта в 11:10, что вопрос решён или снят: прочитайте его сообщение и, если это так, ответьте ему или закройте обращение\n',
    );
    expect(digestText(breached(routed('housing')))).not.toContain('Гражданин написал');
    // Answered since the deadline passed, it is no one's to close: the answer keeps the mark, the notice not.
    const owed = breached(settledByCitizen);
    const answered = {
      ...owed,
      inquiry: {
        ...owed.inquiry,
        status: 'answered' as const,
        clock: undefined,
        answeredAt: '2026-03-16T12:00:00.000Z',
      },
    };
    expect(notificationOf(answered, departments)).toHaveProperty('settled');
    expect(notificationOf(answered, departments)).not.toHaveProperty('citizenSettledAt');
  });

  it('says that VK refused the words that gave the first response, which is owed again', () => {
    const refused = routed('housing', {
      status: 'in_progress',
      undelivered: {
        outboxId: 'o1',
        purpose: 'intermediate_answer',
        reason: 'VK error 901',
        at: '2026-03-16T05:00:05.000Z',
      },
    });
    expect(notificationOf(breached(refused), departments)).toMatchObject({
      undelivered: { purpose: 'intermediate_answer', at: '2026-03-16T05:00:05.000Z' },
    });
    expect(digestText(breached(refused))).toContain(
      '   Промежуточный ответ не дошёл до гражданина (VK отказал 16 марта в 10:00): первый ответ снова не дан\n',
    );
    // A second intermediate answer refused while the answer is owed: the citizen had their first response,
    // and the resolution deadline stands as it was, so it is not told there.
    const resolutionClock = {
      kind: 'resolution' as const,
      cycle: 2,
      startedAt: '2026-03-13T04:30:00.000Z',
      dueAt: DUE_AT,
      warnAt: WARN_AT,
      warned: true,
      breached: false,
    };
    const resolution = breached({
      ...refused,
      firstRespondedAt: '2026-03-13T04:30:00.000Z',
      clock: resolutionClock,
      clockCount: 2,
      resolutionDueAt: DUE_AT,
    });
    expect(resolution.notice.clock).toBe('resolution');
    expect(notificationOf(resolution, departments)).not.toHaveProperty('undelivered');
    expect(digestText(resolution)).toContain('   Нужно: дать ответ по существу\n');
    // The answer refused: owed again, and closing is the way out once the citizen is reached otherwise.
    const answerRefused = breached({
      ...refused,
      firstRespondedAt: '2026-03-13T04:30:00.000Z',
      clock: resolutionClock,
      clockCount: 2,
      resolutionDueAt: DUE_AT,
      undelivered: { ...(refused.undelivered as NonNullable<Inquiry['undelivered']>), purpose: 'answer' },
    });
    expect(digestText(answerRefused)).toContain(
      '   Ответ не дошёл до гражданина (VK отказал 16 марта в 10:00): ответ снова не дан\n',
    );
    expect(digestText(answerRefused)).toContain(
      '   Нужно: ответить снова или, если с гражданином связались иначе, закрыть обращение\n',
    );
  });

  it('tells when a reopening started the deadline, not when a routing back into work did', () => {
    const reopenedAt = '2026-03-16T04:00:00.000Z';
    const reopened = routed('housing', {
      status: 'reopened',
      reopenCount: 1,
      firstResponseStartedAt: reopenedAt,
      earlierCycles: [{ status: 'answered', answeredAt: '2026-03-13T10:00:00.000Z' }],
    });
    expect(notificationOf(breached(reopened), departments)).toMatchObject({ reopenedAt });
    expect(digestText(breached(reopened))).toContain('   Статус: открыто заново 16 марта в 09:00\n');
    const routedBack = {
      ...reopened,
      status: 'routed' as const,
      earlierCycles: [...(reopened.earlierCycles ?? []), { status: 'rejected' as const }],
    };
    expect(notificationOf(breached(routedBack), departments)).not.toHaveProperty('reopenedAt');
  });
});
