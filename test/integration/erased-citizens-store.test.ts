import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import { MAX_PEOPLE_LOOKED_UP } from '../../lambdas/domain/inquiry/erased-citizen.js';
import { startTestAws, type TestAws } from '../support/aws.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
/** The keys each GetItem of the table asked for, in order. */
const reads: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo);
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetItemCommand') {
        // The document client's command, before its keys are marshalled: `pk` is a string.
        const key = (args.input as { Key?: { pk?: string } }).Key;
        reads.push(String(key?.pk).split('#')[0] ?? '');
      }
      return next(args);
    },
    { step: 'initialize' },
  );
});
afterAll(() => aws?.stop());

const NOW = new Date('2026-12-05T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('the marks of erased citizens, as the router reads them for late messages', () => {
  it("reads only the community's latest erasure, never a citizen's mark, where no one was erased lately", async () => {
    const marks = new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW });
    reads.length = 0;
    expect(await marks.erasedAt(501, 42, '2026-12-01T10:00:00Z')).toBeUndefined();
    expect(reads).toEqual(['ERASURES']);
  });

  it("reads no citizen's mark for what was written after the community's latest erasure", async () => {
    const marks = new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW });
    await marks.mark(502, 7, at('2026-12-03T09:00:00Z'));
    reads.length = 0;
    expect(await marks.erasedAt(502, 42, '2026-12-04T10:00:00Z')).toBeUndefined();
    expect(reads).toEqual(['ERASURES']);
  });

  it("answers with the citizen's own erasure for what was written before the community's latest", async () => {
    const marks = new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW });
    await marks.mark(503, 7, at('2026-12-02T09:00:00Z'));
    await marks.mark(503, 8, at('2026-12-03T09:00:00Z'));
    reads.length = 0;
    expect(await marks.erasedAt(503, 7, '2026-12-01T10:00:00Z')).toBe('2026-12-02T09:00:00.000Z');
    expect(await marks.erasedAt(503, 42, '2026-12-01T10:00:00Z')).toBeUndefined();
    expect(reads).toEqual(['ERASURES', 'ERASED', 'ERASURES', 'ERASED']);
    // Undated (a deletion, an operator's reply): the citizen's mark decides.
    expect(await marks.erasedAt(503, 8)).toBe('2026-12-03T09:00:00.000Z');
  });

  it("forgets a community's erasures once they are past, as the citizens' marks", async () => {
    await new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW }).mark(
      504,
      7,
      at('2026-11-01T09:00:00Z'),
    );
    const later = new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW });
    reads.length = 0;
    expect(await later.erasedAt(504, 7, '2026-10-30T10:00:00Z')).toBeUndefined();
    expect(reads).toEqual(['ERASURES']);
  });
});

describe('the marks of erased citizens, as words naming people are checked against them', () => {
  const people = (count: number) => Array.from({ length: count }, (_, index) => 60 + index);

  it('looks each person up while they are few, and takes them all as erased unread when more', async () => {
    const marks = new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW });
    await marks.mark(516, 60, at('2026-12-04T09:00:00Z'));
    reads.length = 0;
    expect(await marks.erasedAmong(516, people(MAX_PEOPLE_LOOKED_UP))).toEqual([60]);
    expect(reads).toEqual(['ERASURES', ...people(MAX_PEOPLE_LOOKED_UP).map(() => 'ERASED')]);
    reads.length = 0;
    expect(await marks.erasedAmong(516, people(MAX_PEOPLE_LOOKED_UP + 1))).toEqual(
      people(MAX_PEOPLE_LOOKED_UP + 1),
    );
    expect(reads).toEqual(['ERASURES']);
  });

  it('takes no one as erased, however many, where no one was erased lately', async () => {
    const marks = new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW });
    reads.length = 0;
    expect(await marks.erasedAmong(517, people(200))).toEqual([]);
    expect(reads).toEqual(['ERASURES']);
  });
});

describe('the marks of erased citizens, as an erasure writes them', () => {
  it('never moves an erasure back when run again on a clock behind the last run', async () => {
    const marks = new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW });
    await marks.mark(505, 7, at('2026-12-04T09:00:00Z'));
    await marks.mark(505, 7, at('2026-12-03T09:00:00Z'));
    // Written between the two runs: before the later erasure, so still the erased citizen's.
    expect(await marks.erasedAt(505, 7, '2026-12-03T12:00:00Z')).toBe('2026-12-04T09:00:00.000Z');
  });

  it("keys one citizen's marks in two communities by digests unlike each other, naming them in neither", async () => {
    const marks = new DynamoErasedCitizens(documents, aws.tableName, { now: () => NOW });
    await marks.mark(506, 9_123_457, at('2026-12-04T09:00:00Z'));
    await marks.mark(507, 9_123_457, at('2026-12-04T09:00:00Z'));
    const { Items = [] } = await documents.send(new ScanCommand({ TableName: aws.tableName }));
    const digests = Items.map((item) => String(item.pk))
      .filter((pk) => pk.startsWith('ERASED#506#') || pk.startsWith('ERASED#507#'))
      .map((pk) => pk.split('#')[2]);
    expect(digests).toHaveLength(2);
    expect(digests[0]).not.toBe(digests[1]);
    expect(JSON.stringify(Items)).not.toContain('9123457');
  });
});
