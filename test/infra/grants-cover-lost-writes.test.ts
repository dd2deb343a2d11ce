import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { changeInquiryWithRetries } from '../../lambdas/application/inquiry-writes.js';
import { type HistoryEntry, historyKey, type Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { VersionConflictError } from '../../lambdas/domain/ports.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
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
  const inquiry = {
    id: 'grants-lost',
    groupId: DEMO_GROUP_ID,
    status: 'routed',
    createdAt: at,
    updatedAt: at,
    version: 1,
    causes: [],
  } as unknown as Inquiry;
  await repository.create(inquiry, []);
  const entry = {
    inquiryId: inquiry.id,
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
        inquiry.id,
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
  expect((await repository.get(inquiry.id))?.history).toEqual([]);
  for (const fn of ['Router', 'OperatorsOperatorApi', 'Escalator', 'AnsweringResponder'])
    expectAllowed(policies, fn, 'a change refused on its version', calls, {
      including: [{ action: 'dynamodb:DeleteItem', resource: { kind: 'table' } }],
    });
});
