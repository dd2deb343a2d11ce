import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { withLocalAuthorizer } from '../../lambdas/adapters/operator-local-auth.js';
import { fileSecretStore } from '../../lambdas/adapters/secret-store.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { lambdaContext, type SqsFunction } from '../integration/ingest-requests.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import { startSecretsExtension, startSnsStandIn } from './support/aws-stand-ins.js';
import {
  expectAllowed,
  GRANTS_CONFIG_FILE,
  type Policies,
  recordAwsCalls,
  synthesizedPolicies,
} from './support/granted-calls.js';

/**
 * As grants-cover-calls.test.ts, for the functions that answer citizens and watch deadlines: the operator API
 * (list, read, answer), the responder (a delivery to the VK API stand-in) and the escalator (a breach
 * published to SNS, through a stand-in SNS endpoint).
 */
type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:000000000000:vk-inquiries-test-escalations';
/** The housing department's operator of the local configuration, with its bearer token. */
const HOUSING_TOKEN = 'local-housing-token-change-me';

let aws: TestAws;
let policies: Policies;
let callsOf: ReturnType<typeof recordAwsCalls>;
let vk: VkStandIn;
let sns: Awaited<ReturnType<typeof startSnsStandIn>>;
let extension: { stop(): Promise<void> };
let operatorApi: HttpHandler;
const inquiryIds: Record<'recent' | 'overdue', string> = { recent: '', overdue: '' };

/** A citizen's classified message about waste (the housing department's), received at `at`. */
const classified = (peer: number, at: string): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey: `grants-${peer}`,
  receivedAt: at,
  message: {
    groupId: DEMO_GROUP_ID,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: peer },
    messageRef: `dm:${peer}:1`,
    conversationKey: `dm:${peer}`,
    authorId: peer,
    text: 'Не вывозят мусор во дворе',
    attachments: [],
    sentAt: at,
  },
  classification: {
    category: 'waste',
    priority: 'normal',
    confidence: 0.9,
    inquiry: true,
    triage: false,
    model: 't',
  },
});

beforeAll(async () => {
  policies = synthesizedPolicies();
  aws = await startTestAws();
  const config = readConfigFile(GRANTS_CONFIG_FILE);
  extension = await startSecretsExtension();
  sns = await startSnsStandIn(TOPIC_ARN);
  vk = new VkStandIn();
  vk.addCommunity(DEMO_GROUP_ID, { community: 'local-community-token-123456789' });
  Object.assign(process.env, {
    CONFIG_FILE: GRANTS_CONFIG_FILE,
    VK_API_BASE_URL: await vk.start(),
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  callsOf = recordAwsCalls({ tableName: aws.tableName, queues: aws.queues, topicArn: TOPIC_ARN });
  // API Gateway's JWT authorizer is not the function's: the local stand-in for it reads the tokens' file.
  operatorApi = withLocalAuthorizer(
    (await import('../../lambdas/operator-api/handler.js')).handler as unknown as HttpHandler,
    config,
    fileSecretStore('config/local.secrets.json'),
    [OPENAPI_PATH],
  );

  // Two inquiries of the housing department: one opened now, one whose deadline passed long ago.
  const repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
  const open = async (peer: number, at: string) =>
    (
      await createMessageRouter({
        config,
        inquiries: repository,
        clock: { now: () => new Date(at) },
        inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
      }).routeCitizenMessage(classified(peer, at))
    ).inquiryId;
  inquiryIds.recent = await open(7_800_001, new Date().toISOString());
  inquiryIds.overdue = await open(7_800_002, '2025-06-02T06:00:00.000Z');
}, 120_000);
afterAll(async () => {
  await vk?.stop();
  await sns?.stop();
  await extension?.stop();
  await aws?.stop();
});

let requests = 0;
async function operatorRequest(method: string, path: string, body?: unknown) {
  const [rawPath = '', rawQueryString = ''] = path.split('?');
  const answer = await operatorApi(
    {
      version: '2.0',
      routeKey: '$default',
      rawPath,
      rawQueryString,
      headers: { authorization: `Bearer ${HOUSING_TOKEN}` },
      requestContext: {
        http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: `grants-${++requests}`,
      },
      ...(body !== undefined && { body: JSON.stringify(body), isBase64Encoded: false }),
    } as unknown as APIGatewayProxyEventV2,
    lambdaContext,
  );
  return { status: answer.statusCode, body: JSON.parse(answer.body ?? 'null') };
}

describe('the IAM policies of the answering functions', () => {
  it('allow what the operator API calls to list, read and answer a department’s inquiries', async () => {
    const list = await callsOf(async () => {
      const answer = await operatorRequest('GET', '/api/v1/inquiries?department=housing');
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((item: { id: string }) => item.id)).toContain(inquiryIds.recent);
    });
    expectAllowed(policies, 'OperatorsOperatorApi', 'a department’s list', list);
    const read = await callsOf(async () => {
      expect((await operatorRequest('GET', `/api/v1/inquiries/${inquiryIds.recent}`)).status).toBe(200);
    });
    expectAllowed(policies, 'OperatorsOperatorApi', 'one inquiry', read);
    const answer = await callsOf(async () => {
      const reply = await operatorRequest('POST', `/api/v1/inquiries/${inquiryIds.recent}/reply`, {
        text: 'Мусор вывезен.',
      });
      expect(reply).toMatchObject({ status: 200, body: { status: 'answered' } });
    });
    expectAllowed(policies, 'OperatorsOperatorApi', 'an answer', answer);
  });

  it('allow what the responder calls to deliver the answer: token, rate limit, ledger, history', async () => {
    const outbox = await drainQueue(aws.sqs, aws.queues.outbox.url);
    expect(outbox).toHaveLength(1);
    const responder = (await import('../../lambdas/responder/handler.js')).handler as unknown as SqsFunction;
    const delivery = await callsOf(async () => {
      expect((await responder(sqsEvent(outbox), lambdaContext)).batchItemFailures).toEqual([]);
    });
    expect(vk.delivered).toEqual([
      expect.objectContaining({
        method: 'messages.send',
        params: expect.objectContaining({ peer_id: '7800001' }),
      }),
    ]);
    expectAllowed(policies, 'AnsweringResponder', 'a delivery', delivery);
  });

  it('allow what the escalator calls to find an overdue inquiry, mark it and notify its department', async () => {
    const { handler } = await import('../../lambdas/escalator/handler.js');
    const run = await callsOf(async () => {
      expect(await handler({}, lambdaContext)).toMatchObject({ checked: expect.any(Number) });
    });
    expect(sns.published()).toBeGreaterThan(0);
    expect(run.map((call) => call.action)).toContain('sns:Publish');
    expectAllowed(policies, 'Escalator', 'an overdue inquiry', run);
  });
});
