import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { changeInquiryWithRetries } from '../../lambdas/application/inquiry-writes.js';
import { type HistoryEntry, historyKey, type Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { VersionConflictError } from '../../lambdas/domain/ports.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import {
  expectAllowed,
  type Policies,
  recordAwsCalls,
  synthesizedPolicies,
} from './support/granted-calls.js';

/**
 * A change that keeps losing its write to other writers, and deletes the entries its attempts wrote: the
 * calls every function that changes inquiries makes then (the router, the operator API, the escalator, the
 * responder), through the repository they share, must be allowed by each one's policy.
 */
let aws: TestAws;
let policies: Policies;
let callsOf: ReturnType<typeof recordAwsCalls>;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  policies = synthesizedPolicies();
  aws = await startTestAws();
  callsOf = recordAwsCalls({ tableName: aws.tableName, queues: aws.queues });
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
}, 120_000);
afterAll(() => aws?.stop());

it('allow what a change that loses its writes calls to delete the entries it wrote', async () => {
  const at = '2026-03-02T06:00:00.000Z';
  // A whole inquiry, as the router opens one: an item that does not read as one is refused when read back.
  const router = createMessageRouter({
    config: readConfigFile('config/local.json'),
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: () => 'grants-lost',
  });
  const message = classifiedDirectMessage({
    peerId: 4_100,
    eventKey: 'grants-lost',
    text: 'Не вывозят мусор',
    category: 'waste',
    at,
  });
  const { inquiryId } = await router.routeCitizenMessage(message);
  const history = (await repository.get(inquiryId))?.history ?? [];
  const entry = {
    inquiryId,
    key: historyKey(at, 'cause', 1),
    at,
    kind: 'note',
    actor: 'operator',
    detail: {},
  } as unknown as HistoryEntry;
  const calls = await callsOf(() =>
    expect(
      changeInquiryWithRetries(
        repository,
        inquiryId,
        async (read) => {
          const current = read as Inquiry;
          // Another writer changes the inquiry first, every time.
          await repository.update({ ...current, version: current.version + 1 }, current.version, []);
          return { write: { ...current, version: current.version + 1 }, history: [entry], done: () => 0 };
        },
        { maxAttempts: 2 },
      ),
    ).rejects.toBeInstanceOf(VersionConflictError),
  );
  // The entries its attempts wrote are gone; the router's own are as they were.
  expect((await repository.get(inquiryId))?.history).toEqual(history);
  for (const fn of ['Router', 'OperatorsOperatorApi', 'Escalator', 'AnsweringResponder'])
    expectAllowed(policies, fn, 'a change refused on its version', calls, {
      including: [{ action: 'dynamodb:DeleteItem', resource: { kind: 'table' } }],
    });
});
