import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { callbackRequest, type HttpFunction, lambdaContext } from '../integration/ingest-requests.js';
import { drainQueue, startTestAws, type TestAws } from './aws.js';
import { DEMO_GROUP_ID, DEMO_SECRET } from './fixtures.js';
import { localOperatorApi, type OperatorApiCall } from './operator-api.js';
import { sqsEvent } from './sqs-events.js';

type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** config/local.json's administrator, who sees every department's inquiries. */
const ADMIN = 'local-admin-token-change-me';
const consumerContext = { ...lambdaContext, getRemainingTimeInMillis: () => 30_000 } as Context;

/**
 * The names of the errors a consumer failed its records with (a batch failed whole throws them), or
 * undefined when it failed none.
 */
async function failuresOf(consumer: Consumer, event: SQSEvent): Promise<string | undefined> {
  const names = (errors: unknown[]) =>
    errors
      .map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)))
      .join('; ');
  try {
    const response = await consumer(event, consumerContext);
    return response.batchItemFailures.length > 0 ? 'reported failed' : undefined;
  } catch (error) {
    const recordErrors = (error as { recordErrors?: unknown[] }).recordErrors;
    return names(recordErrors ?? [error]);
  }
}

/** What became of one event sent through the chain, and what broke the contract on the way. */
export interface ChainOutcome {
  ingest: { status: number | undefined; body: string | undefined };
  problems: string[];
}

/**
 * Ingest, the classifier, the router and the operator API, each its own handler against dynalite and fauxqs,
 * as the integration tests run them: an event is POSTed, and whatever each step queues is handed to the next.
 */
export async function startChain(): Promise<{
  aws: TestAws;
  send(type: string, object: unknown, eventId: string): Promise<ChainOutcome>;
}> {
  const aws = await startTestAws();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.OUTBOX_QUEUE_URL = aws.queues.outbox.url;
  const ingest = (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction;
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as Consumer;
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as Consumer;
  const call: OperatorApiCall = await localOperatorApi();
  const inquiries = new DynamoInquiryRepository(DynamoDBDocumentClient.from(aws.dynamo), aws.tableName);
  const seen = new Map<string, string>();

  async function send(type: string, object: unknown, eventId: string): Promise<ChainOutcome> {
    const problems: string[] = [];
    const body = {
      type,
      group_id: DEMO_GROUP_ID,
      event_id: eventId,
      v: '5.199',
      object,
      secret: DEMO_SECRET,
    };
    const answer = await ingest(callbackRequest(body), lambdaContext);
    const outcome: ChainOutcome = {
      ingest: { status: answer.statusCode, body: answer.body },
      problems,
    };
    const queued = await drainQueue(aws.sqs, aws.queues.events.url);
    if (answer.statusCode !== 200 || answer.body !== 'ok') {
      if (![400, 413].includes(answer.statusCode ?? 0)) problems.push(`ingest answered ${answer.statusCode}`);
      if (queued.length > 0) problems.push('ingest refused the event, yet queued it');
      return outcome;
    }
    if (queued.length !== 1) problems.push(`ingest answered ok and queued ${queued.length} events`);
    const classified = await failuresOf(classifier, sqsEvent(queued, `c-${eventId}`));
    if (classified) problems.push(`the classifier failed the event: ${classified}`);
    const routing = await drainQueue(aws.sqs, aws.queues.routing.url);
    if (routing.length > 0) {
      const routed = await failuresOf(router, sqsEvent(routing, `r-${eventId}`));
      if (routed) problems.push(`the router failed the message: ${routed}`);
    }
    const dead = await drainQueue(aws.sqs, aws.queues.routing.deadLetterUrl);
    if (dead.length > 0) problems.push('the router kept the message as a dead letter');
    // Whatever changed in the table, read back as an operator reads it.
    for (const inquiry of await inquiries.listAll()) {
      const version = JSON.stringify(inquiry);
      if (seen.get(inquiry.id) === version) continue;
      seen.set(inquiry.id, version);
      for (const path of [`/api/v1/inquiries/${inquiry.id}`, `/api/v1/inquiries/${inquiry.id}/history`]) {
        const read = await call('GET', path, ADMIN);
        if (read.status !== 200)
          problems.push(`GET ${path.replace(inquiry.id, '{id}')} answered ${read.status}`);
      }
    }
    const list = await call('GET', '/api/v1/inquiries?limit=100', ADMIN);
    if (list.status !== 200) problems.push(`GET /api/v1/inquiries answered ${list.status}`);
    return outcome;
  }

  return { aws, send };
}
