import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import {
  callbackRequest,
  type HttpFunction,
  lambdaContext,
  type SqsFunction,
} from '../integration/ingest-requests.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { callbackBody, fixture, TEST_CONFIG_FILE, TEST_SECRETS_FILE } from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';

/**
 * The AWS calls each function really makes on its main path (a citizen's message accepted, classified and
 * routed into a new inquiry), recorded from the SDK against the emulators, must all be allowed by the IAM
 * policy the CDK app gives that function: the emulators check no permissions, so only this catches a call
 * that AWS would refuse.
 */
let aws: TestAws;
let stateless: Template;
const calls = new Set<string>();

/** The IAM action behind an operation (a batch send needs `sqs:SendMessage`). */
const actionOf = (service: 'dynamodb' | 'sqs', command: string) => {
  const operation = command.replace(/Command$/, '');
  return `${service}:${operation === 'SendMessageBatch' ? 'SendMessage' : operation}`;
};

beforeAll(async () => {
  const app = buildApp(new App({ context: { stage: 'test', config: 'config/local.json' } }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  stateless = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);

  aws = await startTestAws();
  Object.assign(process.env, {
    CONFIG_FILE: TEST_CONFIG_FILE,
    LOCAL_SECRETS_FILE: TEST_SECRETS_FILE,
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // Every call of the functions, SDK client or signed by hand (ingest's SendMessage), as it leaves on HTTP:
  // both services speak the AWS JSON protocol, whose X-Amz-Target header names the operation.
  subscribe('http.client.request.start', (message) => {
    const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
    if (typeof target !== 'string') return;
    const service = target.startsWith('AmazonSQS.') ? 'sqs' : 'dynamodb';
    calls.add(actionOf(service, target.slice(target.indexOf('.') + 1)));
  });
}, 120_000);
afterAll(() => aws?.stop());

const grantedTo = (functionPrefix: string) =>
  new Set(
    Object.entries(stateless.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith(functionPrefix))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
      .flatMap((statement) => [statement.Action].flat()),
  );

/** What one step called, as IAM actions. */
async function callsOf(step: () => Promise<void>): Promise<string[]> {
  calls.clear();
  await step();
  return [...calls].sort();
}

describe('each function’s IAM policy', () => {
  it('allows every call ingest, the classifier and the router make for a new inquiry', async () => {
    const ingest = (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction;
    const classifier = (await import('../../lambdas/classifier/handler.js'))
      .handler as unknown as SqsFunction;
    const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    // Citizens at once: a batch takes the batched reads and writes a lone record would not (whether the
    // classifier's ledger marks share a call depends on timing: its policy is checked in stacks.test.ts too).
    const bodies = [7_700_002, 7_700_003, 7_700_004, 7_700_005].map((peer) =>
      callbackBody('03_message_new__vknet.json', {
        event_id: `grants-${peer}`,
        object: { message: { ...message, peer_id: peer, from_id: peer, conversation_message_id: 1 } },
      }),
    );

    const steps: [string, string[]][] = [
      [
        'Ingest',
        await callsOf(async () => {
          for (const body of bodies)
            expect((await ingest(callbackRequest(body), lambdaContext)).statusCode).toBe(200);
        }),
      ],
    ];
    const events = await drainQueue(aws.sqs, aws.queues.events.url);
    expect(events).toHaveLength(4);
    steps.push([
      'Classifier',
      await callsOf(async () => {
        expect((await classifier(sqsEvent(events), lambdaContext)).batchItemFailures).toEqual([]);
      }),
    ]);
    const routing = await drainQueue(aws.sqs, aws.queues.routing.url);
    steps.push([
      'Router',
      await callsOf(async () => {
        expect((await router(sqsEvent(routing), lambdaContext)).batchItemFailures).toEqual([]);
      }),
    ]);

    for (const [name, made] of steps) {
      expect(made.length, `${name} made no call`).toBeGreaterThan(0);
      const granted = grantedTo(name);
      expect(
        made.filter((action) => !granted.has(action)),
        `${name} calls what its policy does not allow`,
      ).toEqual([]);
    }
  });
});
