import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import {
  changeInquiryWithRetries,
  type Decision,
  unsavedHistory,
} from '../../lambdas/application/inquiry-writes.js';
import { type HistoryEntry, historyKey, type Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { VersionConflictError } from '../../lambdas/domain/ports.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { MemoryInquiryRepository } from '../unit/inquiry/memory-repository.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
});
afterAll(() => aws?.stop());

const OPENED = '2026-03-02T06:00:00.000Z';

/** A routed inquiry, stored. */
async function storedInquiry(id: string): Promise<Inquiry> {
  const inquiry: Inquiry = {
    id,
    groupId: DEMO_GROUP_ID,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 5 },
    conversationKey: `dm:${id}`,
    authorId: 5,
    text: 'Не вывозят мусор',
    status: 'routed',
    category: 'waste',
    priority: 'normal',
    confidence: 0.9,
    triage: false,
    department: 'housing',
    clockCount: 0,
    escalated: false,
    messageCount: 1,
    lastMessageAt: OPENED,
    reopenCount: 0,
    createdAt: OPENED,
    updatedAt: OPENED,
    version: 1,
    sourceEventKey: `e:${id}`,
    causes: [`e:${id}`],
  };
  await repository.create(inquiry, []);
  return inquiry;
}

/** The `n` entries a change of `cause` keyed at `at` writes on the inquiry. */
const entriesOf = (id: string, cause: string, at: string, n = 1): HistoryEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    inquiryId: id,
    key: historyKey(at, cause, i + 1),
    at,
    kind: 'note' as HistoryEntry['kind'],
    actor: 'operator' as HistoryEntry['actor'],
    detail: { n: i + 1 },
  }));

/** The change of `cause` on the inquiry as read: its next version, with its entries. */
const change = (inquiry: Inquiry, cause: string, entries: HistoryEntry[]) => ({
  write: { ...inquiry, version: inquiry.version + 1, causes: [...inquiry.causes, cause] },
  history: entries,
});

/** Another writer's change, saved between a read and its write. */
async function changeMeanwhile(id: string, cause: string, entries: HistoryEntry[] = []) {
  const current = (await repository.getInquiry(id)) as Inquiry;
  const { write, history } = change(current, cause, entries);
  await repository.update(write, current.version, history);
}

const historyKeysOf = async (id: string) => ((await repository.get(id))?.history ?? []).map(({ key }) => key);

describe('changeInquiryWithRetries', () => {
  it('reads and decides again when another writer got there first, and deletes what the lost attempt wrote alone', async () => {
    const { id } = await storedInquiry('w-retry');
    const at = '2026-03-02T07:00:00.000Z';
    const waits: number[] = [];
    let attempts = 0;
    const outcome = await changeInquiryWithRetries(
      repository,
      id,
      async (inquiry): Promise<Decision<string>> => {
        attempts++;
        if (!inquiry) throw new Error('gone');
        // The first attempt decides on what the other writer is about to change: its write is refused. It
        // wrote two entries (a "priority raised" too); the retry, on the inquiry as it has become, only one.
        if (attempts === 1) {
          await changeMeanwhile(id, 'other', entriesOf(id, 'other', '2026-03-02T06:30:00.000Z'));
          return { ...change(inquiry, 'mine', entriesOf(id, 'mine', at, 2)), done: () => 'first' };
        }
        return { ...change(inquiry, 'mine', entriesOf(id, 'mine', at, 1)), done: () => 'saved' };
      },
      {
        maxAttempts: 5,
        backoffMs: (failed) => {
          waits.push(failed);
          return 1;
        },
      },
    );

    expect(outcome).toBe('saved');
    expect(attempts).toBe(2);
    expect(waits).toEqual([1]);
    expect(await repository.getInquiry(id)).toMatchObject({
      version: 3,
      causes: ['e:w-retry', 'other', 'mine'],
    });
    // The other writer's entry and the saved change's stay; the entry only the lost attempt wrote goes.
    expect(await historyKeysOf(id)).toEqual([
      historyKey('2026-03-02T06:30:00.000Z', 'other', 1),
      historyKey(at, 'mine', 1),
    ]);
  });

  it('gives the conflict to the caller after its attempts, and leaves no entry of a change never saved', async () => {
    const { id } = await storedInquiry('w-give-up');
    const at = '2026-03-02T07:00:00.000Z';
    let attempts = 0;
    const work = changeInquiryWithRetries(
      repository,
      id,
      async (inquiry) => {
        attempts++;
        if (!inquiry) throw new Error('gone');
        await changeMeanwhile(id, `other:${attempts}`);
        return { ...change(inquiry, 'mine', entriesOf(id, 'mine', at, attempts)), done: () => 'saved' };
      },
      { maxAttempts: 3 },
    );

    await expect(work).rejects.toBeInstanceOf(VersionConflictError);
    expect(attempts).toBe(3);
    expect(await repository.getInquiry(id)).toMatchObject({ version: 4 });
    expect(await historyKeysOf(id)).toEqual([]);
  });

  it('keeps the entries of a twin that saved the same change first, under the same keys', async () => {
    const { id } = await storedInquiry('w-twin');
    // The key's time comes from the cause (a message's receipt, a clock's point): the twin's keys are these.
    const at = '2026-03-02T06:05:00.000Z';
    let attempts = 0;
    const outcome = await changeInquiryWithRetries(
      repository,
      id,
      async (inquiry): Promise<Decision<string>> => {
        attempts++;
        if (!inquiry) throw new Error('gone');
        if (inquiry.causes.includes('event')) return { done: () => 'duplicate' };
        await changeMeanwhile(id, 'event', entriesOf(id, 'event', at, 2));
        // Also an entry of another cause, refused: it goes.
        return {
          ...change(inquiry, 'event', [...entriesOf(id, 'event', at, 2), ...entriesOf(id, 'stale', at)]),
          done: () => 'saved',
        };
      },
      { maxAttempts: 5 },
    );

    expect(outcome).toBe('duplicate');
    expect(attempts).toBe(2);
    expect(await historyKeysOf(id)).toEqual([historyKey(at, 'event', 1), historyKey(at, 'event', 2)]);
  });

  it("deletes the entries a lost attempt wrote under its own time when the twin's time was another", async () => {
    const { id } = await storedInquiry('w-twin-time');
    const mine = '2026-03-02T07:00:00.001Z';
    const theirs = '2026-03-02T07:00:00.002Z';
    let asked = 0;
    const outcome = await changeInquiryWithRetries(
      repository,
      id,
      async (inquiry): Promise<Decision<string>> => {
        if (!inquiry) throw new Error('gone');
        if (inquiry.causes.includes('op:k1')) return { done: () => 'duplicate' };
        await changeMeanwhile(id, 'op:k1', entriesOf(id, 'op:k1', theirs));
        return { ...change(inquiry, 'op:k1', entriesOf(id, 'op:k1', mine)), done: () => 'saved' };
      },
      {
        maxAttempts: 5,
        twinKeyedAt: async (current) => {
          asked++;
          expect(current.causes).toContain('op:k1');
          return theirs;
        },
      },
    );

    expect(outcome).toBe('duplicate');
    expect(asked).toBe(1);
    expect(await historyKeysOf(id)).toEqual([historyKey(theirs, 'op:k1', 1)]);
  });

  it('deletes every entry of its lost attempts when the inquiry is gone, or the change is no longer made', async () => {
    const { id } = await storedInquiry('w-refused');
    const at = '2026-03-02T07:00:00.000Z';
    let attempts = 0;
    const outcome = await changeInquiryWithRetries(
      repository,
      id,
      async (inquiry): Promise<Decision<string>> => {
        attempts++;
        if (!inquiry) throw new Error('gone');
        if (attempts > 1) return { done: () => 'refused' };
        await changeMeanwhile(id, 'closed');
        return { ...change(inquiry, 'answer', entriesOf(id, 'answer', at)), done: () => 'saved' };
      },
      { maxAttempts: 5 },
    );

    expect(outcome).toBe('refused');
    expect(await historyKeysOf(id)).toEqual([]);
  });

  it("keeps a twin's entry when it gives up on a read taken between the twin's entry and its inquiry", async () => {
    const { id } = await storedInquiry('w-give-up-twin');
    // The key's time comes from the cause (a refused answer's record): another delivery of the same message
    // writes the same key.
    const cause = 'delivery-failed:out-1';
    const at = '2026-03-02T06:05:00.000Z';
    const entries = entriesOf(id, cause, at);
    // That twin, through a client that holds its inquiry write until released: its entry is written by then.
    let entryWritten = () => {};
    const twinEntryWritten = new Promise<void>((resolve) => {
      entryWritten = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding = {
      send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        if (command instanceof PutCommand && command.input.Item?.sk === 'INQUIRY') {
          entryWritten();
          await released;
        }
        return documents.send(command);
      },
    } as unknown as DynamoDBDocumentClient;
    const twinRepository = new DynamoInquiryRepository(holding, aws.tableName);
    const apply = (inquiry: Inquiry | undefined): Decision<string> => {
      if (!inquiry) throw new Error('gone');
      if (inquiry.causes.includes(cause)) return { done: () => 'duplicate' };
      return { ...change(inquiry, cause, entries), done: () => 'saved' };
    };
    const maxAttempts = 3;
    let attempts = 0;
    let twin: Promise<string> | undefined;
    // This work loses each attempt to another writer (an operator's change); the twin starts before its
    // give-up read and is held after its entry, so the read does not hold the cause yet.
    const racing = {
      getInquiry: async (inquiryId: string) => {
        if (attempts === maxAttempts && !twin) {
          twin = changeInquiryWithRetries(twinRepository, id, apply, { maxAttempts: 5 });
          await twinEntryWritten;
        }
        return repository.getInquiry(inquiryId);
      },
      update: repository.update.bind(repository),
      discardHistory: repository.discardHistory.bind(repository),
    };
    const work = changeInquiryWithRetries(
      racing,
      id,
      async (inquiry) => {
        attempts++;
        await changeMeanwhile(id, `other:${attempts}`);
        return apply(inquiry);
      },
      { maxAttempts },
    );

    await expect(work).rejects.toBeInstanceOf(VersionConflictError);
    release();
    expect(await twin).toBe('saved');
    expect((await repository.getInquiry(id))?.causes).toContain(cause);
    expect(await historyKeysOf(id)).toEqual([historyKey(at, cause, 1)]);
  });

  it('starts from the inquiry the caller has read, and reads it again only after a conflict', async () => {
    const read = await storedInquiry('w-first');
    const seen: number[] = [];
    await changeMeanwhile(read.id, 'other');
    await changeInquiryWithRetries(
      repository,
      read.id,
      (inquiry): Decision<void> => {
        seen.push((inquiry as Inquiry).version);
        return { ...change(inquiry as Inquiry, `clear:${seen.length}`, []), done: () => undefined };
      },
      { maxAttempts: 5, first: read },
    );
    expect(seen).toEqual([1, 2]);
  });
});

describe('unsavedHistory', () => {
  it('deletes what attempts wrote on another inquiry than the one a twin changed', async () => {
    const joined = await storedInquiry('w-joined');
    const other = await storedInquiry('w-other');
    const at = '2026-03-02T06:10:00.000Z';
    const writes = unsavedHistory(repository);
    // A follow-up joined one inquiry, refused (another writer changed it); then another, refused too: a twin
    // delivery of the same event saved it there first.
    await changeMeanwhile(joined.id, 'other');
    await changeMeanwhile(other.id, 'e:follow-up', entriesOf(other.id, 'e:follow-up', at));
    for (const target of [joined, other]) {
      const { write, history } = change(target, 'e:follow-up', entriesOf(target.id, 'e:follow-up', at));
      await expect(writes.update(write, target.version, history)).rejects.toBeInstanceOf(
        VersionConflictError,
      );
    }
    expect(writes.pending).toBe(true);

    await writes.settle((await repository.getInquiry(other.id)) as Inquiry);

    expect(await historyKeysOf(joined.id)).toEqual([]);
    expect(await historyKeysOf(other.id)).toEqual([historyKey(at, 'e:follow-up', 1)]);
    expect(writes.pending).toBe(false);
  });
});

describe('history writers', () => {
  it('deletes for a writer only the entries it wrote last, and shows no mark of it', async () => {
    const inquiry = await storedInquiry('w-writers');
    const at = '2026-03-02T06:20:00.000Z';
    const [alone, rewritten] = entriesOf(inquiry.id, 'event', at, 2) as [HistoryEntry, HistoryEntry];
    // Both written by one work's refused write; the second written again by another work's since.
    await expect(repository.update(inquiry, 0, [alone, rewritten], 'work-a')).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await expect(repository.update(inquiry, 0, [rewritten], 'work-b')).rejects.toBeInstanceOf(
      VersionConflictError,
    );

    await repository.discardHistory(inquiry.id, [alone.key, rewritten.key], 'work-a');

    expect((await repository.get(inquiry.id))?.history).toEqual([rewritten]);
    expect((await repository.historyPage(inquiry.id, { limit: 10 })).entries).toEqual([rewritten]);
  });

  it('are kept alike by the repository in memory', async () => {
    const memory = new MemoryInquiryRepository();
    const inquiry = { id: 'm-writers', version: 1 } as Inquiry;
    const [alone, rewritten] = entriesOf(inquiry.id, 'event', '2026-03-02T06:20:00.000Z', 2) as [
      HistoryEntry,
      HistoryEntry,
    ];
    await expect(memory.update(inquiry, 0, [alone, rewritten], 'work-a')).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await expect(memory.update(inquiry, 0, [rewritten], 'work-b')).rejects.toBeInstanceOf(
      VersionConflictError,
    );

    await memory.discardHistory(inquiry.id, [alone.key, rewritten.key], 'work-a');

    expect([...memory.history.values()]).toEqual([rewritten]);
  });
});
