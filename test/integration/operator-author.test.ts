import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { openInquiry } from '../support/inquiries.js';
import { localOperatorApi, type OperatorApiCall } from '../support/operator-api.js';

/**
 * "Citizen X wrote and got nothing": logs carry no VK ids, so an admin finds the citizen's inquiries through the
 * operator API by the VK id the citizen gives, through the real handler against dynalite.
 */
const TOKENS = { admin: 'local-admin-token-change-me', housing: 'local-housing-token-change-me' };
const CITIZEN = 7_310_001;
const NEIGHBOUR = 7_310_002;
const OTHER_COMMUNITY = 555_000_111;

let aws: TestAws;
let call: OperatorApiCall;
const ids: Record<string, string> = {};

beforeAll(async () => {
  aws = await startTestAws();
  // INFO, so that the request lines are written and the test below can read them.
  Object.assign(process.env, { OUTBOX_QUEUE_URL: aws.queues.outbox.url, POWERTOOLS_LOG_LEVEL: 'INFO' });
  call = await localOperatorApi();
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const deps = {
    config: readConfigFile('config/local.json'),
    inquiries: new DynamoInquiryRepository(documents, aws.tableName),
  };
  // Sequential: dynalite has lost concurrent writes to one partition.
  ids.dialogue = await openInquiry(deps, {
    peerId: CITIZEN,
    eventKey: 'author-dialogue',
    text: 'Третий день не вывозят мусор во дворе',
    category: 'waste',
  });
  // In a group chat the dialogue is the chat's, the author the citizen.
  ids.chat = await openInquiry(deps, {
    peerId: 2_000_000_077,
    authorId: CITIZEN,
    conversationMessageId: 3,
    eventKey: 'author-chat',
    text: 'Яма на дороге у дома 5',
    category: 'roads',
  });
  // Taken for no inquiry: listed for triage's review, and exactly what a citizen who got nothing may have sent.
  ids.rejected = await openInquiry(deps, {
    peerId: 2_000_000_078,
    authorId: CITIZEN,
    conversationMessageId: 4,
    eventKey: 'author-rejected',
    text: 'Спасибо',
    category: 'other',
    notAnInquiry: true,
  });
  await openInquiry(deps, {
    peerId: NEIGHBOUR,
    eventKey: 'author-neighbour',
    text: 'Не горит фонарь у подъезда',
    category: 'roads',
  });
  // The same person in another community: not this community's to list.
  const elsewhere = await deps.inquiries.getInquiry(ids.dialogue);
  if (!elsewhere) throw new Error('the dialogue inquiry was not opened');
  await documents.send(
    new PutCommand({
      TableName: aws.tableName,
      Item: toInquiryItem({ ...elsewhere, id: 'inq-author-elsewhere', groupId: OTHER_COMMUNITY }),
    }),
  );
});
afterAll(() => aws?.stop());

/** Every page of a list, following `nextCursor`: the ids in the order handed out. */
async function everyPage(query: string, token = TOKENS.admin): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const answer = await call('GET', `/api/v1/inquiries?${query}${cursor ? `&cursor=${cursor}` : ''}`, token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    found.push(...answer.body.items.map((item: { id: string }) => item.id));
    cursor = answer.body.nextCursor;
    if (!cursor) return found;
  }
  throw new Error('the list did not end');
}

describe('the operator API: a citizen’s inquiries by their VK id', () => {
  it("lists for an admin every inquiry the citizen opened in the community, newest first, and no one else's", async () => {
    const listed = await everyPage(`author=${CITIZEN}&community=${DEMO_GROUP_ID}&limit=2`);
    expect(listed).toEqual([ids.rejected, ids.chat, ids.dialogue]);
    // The open work of the citizen, nearest deadline first, as the other lists are.
    const open = await everyPage(`author=${CITIZEN}&community=${DEMO_GROUP_ID}&order=urgent`);
    expect(open.sort()).toEqual([ids.chat, ids.dialogue].sort());
  });

  it('is for admins only, within one community, and a VK id', async () => {
    for (const query of [
      `author=${CITIZEN}&community=${DEMO_GROUP_ID}`,
      `author=${CITIZEN}&community=${DEMO_GROUP_ID}&department=housing`,
    ])
      expect(await call('GET', `/api/v1/inquiries?${query}`, TOKENS.housing), query).toMatchObject({
        status: 403,
        body: { code: 'forbidden' },
      });
    const answers = await Promise.all(
      [
        `author=${CITIZEN}`,
        `author=abc&community=${DEMO_GROUP_ID}`,
        `author=0&community=${DEMO_GROUP_ID}`,
        `author=1.5&community=${DEMO_GROUP_ID}`,
        `author=${CITIZEN}&community=${DEMO_GROUP_ID}&caseNumber=2026-000001`,
      ].map(async (query) => [query, await call('GET', `/api/v1/inquiries?${query}`, TOKENS.admin)] as const),
    );
    for (const [query, answer] of answers)
      expect(answer, query).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('does not log the VK id asked for', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await everyPage(`author=${CITIZEN}&community=${DEMO_GROUP_ID}`);
    } finally {
      write.mockRestore();
    }
    expect(lines.join('')).toContain('operator request');
    expect(lines.join('')).not.toContain(String(CITIZEN));
  });

  it('names each request by the id API Gateway gave it, which the stage’s access log names it by', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      expect((await call('GET', `/api/v1/inquiries/${ids.dialogue}`, TOKENS.housing)).status).toBe(200);
    } finally {
      write.mockRestore();
    }
    const logged = lines
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The access log's `requestId` ($context.requestId), which names the operator; the Lambda request id is
    // `function_request_id`, as on every function's lines.
    expect(logged).toEqual([
      expect.objectContaining({
        message: 'operator request',
        method: 'GET',
        path: `/api/v1/inquiries/${ids.dialogue}`,
        status: 200,
        apiRequestId: expect.stringMatching(/^request-\d+$/),
      }),
    ]);
  });
});

describe('the operator API: a citizen’s inquiries behind many others', () => {
  beforeAll(async () => {
    const documents = DynamoDBDocumentClient.from(aws.dynamo, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const repository = new DynamoInquiryRepository(documents, aws.tableName);
    const dialogue = await repository.getInquiry(ids.dialogue ?? '');
    if (!dialogue) throw new Error('the dialogue inquiry was not opened');
    // Neighbours' inquiries opened since, in the same department: 100 KB each (ten to a 1 MB page of a Query),
    // more than a department's share of one round reads.
    const text = 'x'.repeat(100_000);
    const since = Date.parse(dialogue.createdAt);
    for (let n = 0; n < 50; n++) {
      const createdAt = new Date(since + (n + 1) * 1000).toISOString();
      await documents.send(
        new PutCommand({
          TableName: aws.tableName,
          Item: toInquiryItem({
            ...dialogue,
            id: `inq-author-bulk-${n}`,
            authorId: NEIGHBOUR,
            text,
            createdAt,
            updatedAt: createdAt,
          }),
        }),
      );
    }
  });

  it('finds them on the first page, not an empty page with a cursor', async () => {
    const answer = await call(
      'GET',
      `/api/v1/inquiries?author=${CITIZEN}&community=${DEMO_GROUP_ID}`,
      TOKENS.admin,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: { id: string }) => item.id)).toEqual([
      ids.rejected,
      ids.chat,
      ids.dialogue,
    ]);
    expect(answer.body.nextCursor).toBeUndefined();
  });
});
