import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../lambdas/domain/inquiry/inquiry.js';
import { correspondenceOf } from '../../ops/citizen-export/correspondence.js';

const CITIZEN = 7_300_101;

const entry = (at: string, fields: Omit<HistoryEntry, 'inquiryId' | 'key' | 'at'>): HistoryEntry => ({
  inquiryId: 'inq-1',
  key: `${at}#cause#1`,
  at,
  ...fields,
});

describe("a citizen's copy: what of an inquiry's history is theirs", () => {
  it('copies their own passages passed on, and only counts the others and the redacted ones', () => {
    const history = [
      entry('2026-01-12T04:00:00.000Z', {
        kind: 'message',
        actor: 'citizen',
        actorId: CITIZEN,
        detail: {
          eventKey: 'vk:1',
          text: 'Пересылаю',
          quoted: [
            {
              kind: 'forwarded',
              depth: 1,
              authorId: CITIZEN,
              text: 'Моё прошлое сообщение',
              link: 'https://vk.com/x',
            },
            { kind: 'forwarded', depth: 1, authorId: 7_300_102, text: 'Слова соседа' },
            { kind: 'reply', depth: 1, text: '', redacted: true },
          ],
        },
      }),
    ];
    expect(correspondenceOf(history, CITIZEN)).toEqual([
      {
        at: '2026-01-12T04:00:00.000Z',
        from: 'citizen',
        kind: 'message',
        text: 'Пересылаю',
        passedOn: [{ kind: 'forwarded', text: 'Моё прошлое сообщение', link: 'https://vk.com/x' }],
        passagesOfOthers: 2,
      },
    ]);
  });

  it("leaves out a group chat's other member, the operators' notes and the product's own entries, whatever their form", () => {
    const history = [
      entry('2026-01-12T04:00:00.000Z', {
        kind: 'message',
        actor: 'citizen',
        actorId: 7_300_102,
        detail: { text: 'Сообщение другого участника беседы' },
      }),
      entry('2026-01-12T05:00:00.000Z', {
        kind: 'note',
        actor: 'operator',
        actorId: 'op-1',
        reason: 'Звонила заявителю',
        detail: {},
      }),
      entry('2026-01-12T05:30:00.000Z', {
        kind: 'routed',
        actor: 'router',
        detail: { department: 'housing' },
      }),
      // Stored without its detail (edited by hand): read as an empty one, not a failure of the whole copy.
      {
        ...entry('2026-01-12T05:40:00.000Z', { kind: 'status', actor: 'router', detail: {} }),
        detail: undefined,
      } as unknown as HistoryEntry,
      // Of the community's changes, only its deletion of their message is told (below).
      entry('2026-01-12T06:00:00.000Z', {
        kind: 'message_changed',
        actor: 'community',
        actorId: 1,
        detail: { change: 'edited', text: 'Текст администратора' },
      }),
    ];
    expect(correspondenceOf(history, CITIZEN)).toEqual([]);
  });

  it('marks the words VK refused and never delivered after, and their edits in order', () => {
    const history = [
      entry('2026-01-12T04:00:00.000Z', {
        kind: 'message_changed',
        actor: 'citizen',
        actorId: CITIZEN,
        detail: { change: 'edited', text: 'Исправленный текст', previousText: 'Текст' },
      }),
      entry('2026-01-12T05:00:00.000Z', {
        kind: 'reply',
        actor: 'operator',
        actorId: 'op-1',
        actorName: 'Анна',
        detail: { text: 'Ответ, не дошедший', intermediate: false, outboxId: 'out-1' },
      }),
      entry('2026-01-12T05:01:00.000Z', {
        kind: 'undelivered',
        actor: 'responder',
        detail: { outboxId: 'out-1', purpose: 'answer' },
      }),
      entry('2026-01-12T06:00:00.000Z', {
        kind: 'reply',
        actor: 'operator',
        detail: { text: 'Повторный ответ', via: 'vk' },
      }),
    ];
    expect(correspondenceOf(history, CITIZEN)).toEqual([
      { at: '2026-01-12T04:00:00.000Z', from: 'citizen', kind: 'edited', text: 'Исправленный текст' },
      {
        at: '2026-01-12T05:00:00.000Z',
        from: 'body',
        kind: 'answer',
        text: 'Ответ, не дошедший',
        notDelivered: true,
      },
      { at: '2026-01-12T06:00:00.000Z', from: 'body', kind: 'reply', text: 'Повторный ответ' },
    ]);
  });

  it("tells the community's deletion of their message in VK, without the admin who deleted it", () => {
    const history = [
      entry('2026-01-12T04:00:00.000Z', {
        kind: 'message',
        actor: 'citizen',
        actorId: CITIZEN,
        detail: { text: 'Яма на дороге у школы' },
      }),
      entry('2026-01-12T05:00:00.000Z', {
        kind: 'message_changed',
        actor: 'community',
        actorId: 7_300_999,
        reason: 'the community deleted the comment',
        detail: { messageRef: 'wall:-1:2:3', change: 'deleted' },
      }),
    ];
    const copy = correspondenceOf(history, CITIZEN);
    expect(copy).toEqual([
      { at: '2026-01-12T04:00:00.000Z', from: 'citizen', kind: 'message', text: 'Яма на дороге у школы' },
      { at: '2026-01-12T05:00:00.000Z', from: 'body', kind: 'deleted_by_community' },
    ]);
    expect(JSON.stringify(copy)).not.toContain('7300999');
  });
});
