import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { ApiRequest, OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { getInquiry } from '../../lambdas/operator-api/use-cases/get-inquiry.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';

/**
 * What the detail of an inquiry out of the operator's reach reads of its history to tell whether they had it
 * (operator-api/left-departments.ts): the use case against dynalite, its history reads counted.
 */

let aws: TestAws;
let repository: DynamoInquiryRepository;
let deps: OperatorApiDeps;
const config = readConfigFile('config/local.json');
const anna: Operator = { id: 'sub-anna', name: 'Анна Иванова', admin: false, departments: ['housing'] };
const tanya: Operator = { id: 'sub-tanya', name: 'Татьяна Петрова', admin: false, departments: ['triage'] };

/** How many history pages and searches for a trace the use cases began. */
const reads = { pages: 0, traces: 0 };

beforeAll(async () => {
  aws = await startTestAws();
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  const counted: OperatorApiDeps['inquiries'] = Object.assign(Object.create(repository), {
    historyPage: (...args: Parameters<DynamoInquiryRepository['historyPage']>) => {
      reads.pages++;
      return repository.historyPage(...args);
    },
    historyTraces: (...args: Parameters<DynamoInquiryRepository['historyTraces']>) => {
      reads.traces++;
      return repository.historyTraces(...args);
    },
  });
  deps = {
    config,
    inquiries: counted,
    queries: new DynamoOperatorQueries(documents, aws.tableName),
    outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url),
    clock: systemClock,
  };
});
afterAll(() => aws?.stop());

const read = (operator: Operator, id: string): ApiRequest => ({
  operator,
  params: { id },
  query: {},
  body: undefined,
  idempotencyKey: 'read',
});

describe('the detail of an inquiry that left the operator’s departments', () => {
  it('reads its history once where the newest page holds all of it, for who had it and for anyone else', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8801, eventKey: 'left-reads', text: 'Не вывозят мусор во дворе', category: 'waste' },
    );
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error('not opened');
    expect(inquiry.department).toBe('housing');
    await repository.update(
      { ...inquiry, department: 'roads', version: inquiry.version + 1 },
      inquiry.version,
      [],
    );

    for (const [operator, status] of [
      [anna, 403],
      [tanya, 404],
    ] as const) {
      reads.pages = 0;
      reads.traces = 0;
      expect((await getInquiry(read(operator, id), deps)).status, operator.id).toBe(status);
      expect(reads, operator.id).toEqual({ pages: 1, traces: 0 });
    }
  });
});
