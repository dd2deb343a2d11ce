import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { historyView, type KnownCases } from '../../../lambdas/operator-api/history-view.js';

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);
const CITIZEN = 7_310_001;
/** An event key made before the digest: VK's ids in clear, the citizen's among them (event-key.ts). */
const OLD_EVENT_KEY = `d:218000001:message_new:${CITIZEN}:5:0:${CITIZEN}::1764900000::::::`;
const AT = '2026-12-05T06:00:00.000Z';
/** A viewer who may know every case the history names: an admin. */
const ALL_KNOWN: KnownCases = { followedCase: true, joinedCase: () => true };

const entry = (fields: Partial<HistoryEntry> & Pick<HistoryEntry, 'key' | 'kind'>): HistoryEntry => ({
  inquiryId: 'inq-1',
  at: AT,
  actor: 'citizen',
  detail: {},
  ...fields,
});

describe('the history as the operator API shows it', () => {
  it('names each entry by a key that keeps its time and order and tells nothing of its cause', () => {
    const stored = [
      entry({ key: `${AT}#${OLD_EVENT_KEY}#1`, kind: 'message', actorId: CITIZEN }),
      entry({ key: `${AT}#${OLD_EVENT_KEY}#2`, kind: 'classified', actor: 'classifier' }),
      entry({ key: `${AT}#${OLD_EVENT_KEY}#3`, kind: 'routed', actor: 'router' }),
      entry({
        key: '2026-12-05T07:00:00.000Z#op:sub-1:take:my-key:abc#1',
        kind: 'status',
        actor: 'operator',
      }),
    ];
    const shown = historyView(stored, digest, ALL_KNOWN);
    const keys = shown.map((each) => each.key);
    expect(keys.map((key) => key.split('#')[0])).toEqual([AT, AT, AT, '2026-12-05T07:00:00.000Z']);
    expect(shown.map((each) => each.kind)).toEqual(['message', 'classified', 'routed', 'status']);
    expect(keys.join(' ')).not.toMatch(new RegExp(`${CITIZEN}|op:|my-key|sub-1|message_new`));
    expect(new Set(keys).size).toBe(4);
    // The same on every read, and whatever order the entries came in.
    expect(historyView([...stored].reverse(), digest, ALL_KNOWN)).toEqual(shown);
  });

  it('digests whole a key not made of a time, a cause and a number, rather than show any of it', () => {
    const odd = [OLD_EVENT_KEY, `${AT}#${OLD_EVENT_KEY}`];
    const shown = historyView(
      odd.map((key) => entry({ key, kind: 'message', actorId: CITIZEN })),
      digest,
      ALL_KNOWN,
    );
    expect(shown.map((each) => each.key).sort()).toEqual(odd.map(digest).sort());
  });

  it('gives the documented fields only, nested ones too', () => {
    const stored = {
      ...entry({
        key: `${AT}#e:1#1`,
        kind: 'message',
        actorId: CITIZEN,
        detail: {
          eventKey: OLD_EVENT_KEY,
          messageRef: `dm:${CITIZEN}:5`,
          text: 'Яма на дороге',
          attachments: [],
          classification: { category: 'roads', priority: 'normal', model: 'rules-1', scores: [0.9] },
        },
      }),
      pk: 'INQ#inq-1',
      sk: `HIST#${AT}#e:1#1`,
      entity: 'history',
    };
    const [shown] = historyView([stored], digest, ALL_KNOWN);
    expect(shown).toEqual({
      inquiryId: 'inq-1',
      key: `${AT}#${digest('e:1')}#1`,
      at: AT,
      kind: 'message',
      actor: 'citizen',
      actorId: CITIZEN,
      detail: {
        messageRef: `dm:${CITIZEN}:5`,
        text: 'Яма на дороге',
        attachments: [],
        classification: { category: 'roads', priority: 'normal', model: 'rules-1' },
      },
    });
  });

  it("leaves out a VK admin's message reference on their reply, which the document does not give", () => {
    const [shown] = historyView(
      [
        entry({
          key: `${AT}#e:2#1`,
          kind: 'reply',
          actor: 'operator',
          actorId: 1,
          detail: { text: 'Ответ', via: 'vk', intermediate: false, messageRef: `dm:${CITIZEN}:6` },
        }),
      ],
      digest,
      ALL_KNOWN,
    );
    expect(shown?.detail).toEqual({ text: 'Ответ', via: 'vk', intermediate: false });
  });

  it('keeps the documented fields of a detail that does not fit, and gives none of a kind it does not know', () => {
    const [misfit, unknown] = historyView(
      [
        entry({
          key: `${AT}#e:3#1`,
          kind: 'delivery',
          actor: 'responder',
          detail: { outboxId: 'inq-1:acknowledgement:e:3', purpose: 'retired', result: 'delivered', x: 1 },
        }),
        entry({
          key: `${AT}#e:3#2`,
          kind: 'someday' as HistoryEntry['kind'],
          reason: 'новое',
          detail: { y: 1 },
        }),
      ],
      digest,
      ALL_KNOWN,
    );
    expect(misfit?.detail).toEqual({
      outboxId: 'inq-1:acknowledgement:e:3',
      purpose: 'retired',
      result: 'delivered',
    });
    expect(unknown).toMatchObject({ kind: 'someday', reason: 'новое', detail: {} });
  });

  it('gives an entry of a kind the document does not know (written by a later release) no detail at all', () => {
    const [shown] = historyView(
      [
        entry({
          key: `${AT}#${OLD_EVENT_KEY}#1`,
          kind: 'a_kind_to_come' as HistoryEntry['kind'],
          detail: { eventKey: OLD_EVENT_KEY, peerId: CITIZEN },
        }),
      ],
      digest,
      ALL_KNOWN,
    );
    expect(shown?.detail).toEqual({});
  });
});
