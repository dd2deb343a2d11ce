import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { startTestAws, type TestAws } from './aws.js';

export type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** A Lambda context with time enough left for any batch. */
export const routerContext = {
  functionName: 'test',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

/**
 * The emulators, and the router's own handler wired to them through its environment, as AWS runs it; with a
 * document client and a repository of the same table, to set up and read what it did.
 */
export async function startRouterHandler(): Promise<{
  aws: TestAws;
  router: Consumer;
  documents: DynamoDBDocumentClient;
  repository: DynamoInquiryRepository;
}> {
  const aws = await startTestAws();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as Consumer;
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { aws, router, documents, repository: new DynamoInquiryRepository(documents, aws.tableName) };
}
