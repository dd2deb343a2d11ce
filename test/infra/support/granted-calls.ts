import { subscribe } from 'node:diagnostics_channel';
import { ClientRequest } from 'node:http';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { buildApp } from '../../../lib/app.js';
import type { QueueName } from '../../../lib/resources.js';
import type { StatefulStack } from '../../../lib/stateful-stack.js';
import type { StatelessStack } from '../../../lib/stateless-stack.js';
import { unbundledApp } from '../../support/cdk-app.js';

/**
 * What the grants tests share: the IAM policies the CDK app gives each function, and the AWS calls the
 * functions really make against the emulators (which check no permissions), each as an IAM action on the
 * resource AWS would authorize it against.
 */
export type Resource =
  | { kind: 'table' }
  | { kind: 'index'; name: string }
  | { kind: 'queue'; name: QueueName }
  | { kind: 'deadLetterQueue'; name: QueueName }
  | { kind: 'topic' }
  | { kind: 'parameter'; name: string }
  | { kind: 'unknown'; name: string };

export interface Call {
  action: string;
  resource: Resource;
}

const describeCall = ({ action, resource }: Call) =>
  `${action} on ${resource.kind}${'name' in resource ? ` ${resource.name}` : ''}`;

/** The configuration both the synthesized app and the functions under test read. */
export const GRANTS_CONFIG_FILE = 'config/local.json';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/**
 * The app as `cdk synth` builds it, without bundling the functions' code (the policies do not depend on it):
 * which statement allows which action on which resource, resources compared in their synthesized form.
 */
export function synthesizedPolicies() {
  const app = buildApp(unbundledApp({ stage: 'test', config: GRANTS_CONFIG_FILE }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  const stateful = stacks.find((stack) => stack.stackName.endsWith('Stateful')) as StatefulStack;
  const stateless = stacks.find((stack) => stack.stackName.endsWith('Stateless')) as StatelessStack;
  const policies = Object.entries(Template.fromStack(stateless).findResources('AWS::IAM::Policy'));

  // The ARN IAM checks a call against, as the stateless stack writes it (an import of the stateful stack's).
  const arnOf = (resource: Resource): unknown => {
    switch (resource.kind) {
      case 'table':
        return stateless.resolve(stateful.table.tableArn);
      case 'index':
        return stateless.resolve(`${stateful.table.tableArn}/index/${resource.name}`);
      case 'queue':
        return stateless.resolve(stateful.queues[resource.name].queueArn);
      case 'deadLetterQueue':
        return stateless.resolve(stateful.deadLetterQueues[resource.name].queueArn);
      case 'topic':
        return stateless.resolve(stateless.escalationTopic.topicArn);
      case 'parameter':
        return stateless.resolve(
          stateless.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: resource.name.slice(1),
          }),
        );
      case 'unknown':
        return `unknown:${resource.name}`;
    }
  };
  // A resource with a wildcard in its literal parts (`…/index/*`) covers what it would match in IAM.
  const covers = (granted: unknown, wanted: unknown) => {
    const pattern = JSON.stringify(granted);
    if (pattern === '"*"') return true;
    const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^"]*')}$`);
    return regex.test(JSON.stringify(wanted));
  };
  const statementsOf = (functionPrefix: string) =>
    policies
      .filter(([id]) => id.startsWith(functionPrefix))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => statement.Effect === 'Allow');

  return {
    /**
     * The grants of the function's policy on the table, the queues, the topic and the parameters that none of
     * `calls` uses: each an action on one resource, as `action on <resource>`, the resource by the construct id
     * of the Stateful stack's export it is (`Inquiries`, `RoutingDlq`), or as synthesized. Not the actions
     * Lambda's poller makes with the function's role on a queue it consumes, which no function call records.
     */
    unused(functionPrefix: string, calls: Call[]): string[] {
      const wanted = calls.map((call) => ({ action: call.action, arn: arnOf(call.resource) }));
      return statementsOf(functionPrefix).flatMap((statement) =>
        [statement.Action]
          .flat()
          .filter(
            (action) => /^(dynamodb|sqs|sns|ssm):/.test(action) && !EVENT_SOURCE_ACTIONS.includes(action),
          )
          .flatMap((action) =>
            [statement.Resource]
              .flat()
              .filter(
                (granted) => !wanted.some((call) => call.action === action && covers(granted, call.arn)),
              )
              .map((granted) => `${action} on ${nameOf(granted)}`),
          ),
      );
    },
    /** Whether the policy of the function whose logical id starts with `functionPrefix` allows the call. */
    allows(functionPrefix: string, call: Call): boolean {
      const wanted = arnOf(call.resource);
      return statementsOf(functionPrefix).some(
        (statement) =>
          [statement.Action].flat().some((action) => covers(action, call.action)) &&
          [statement.Resource].flat().some((granted) => covers(granted, wanted)),
      );
    },
  };
}

export type Policies = ReturnType<typeof synthesizedPolicies>;

/** A granted resource by the construct id of the Stateful stack's export it imports, or as synthesized. */
function nameOf(granted: unknown): string {
  const text = JSON.stringify(granted);
  return /^\{"Fn::ImportValue":"[^"]*FnGetAtt([A-Za-z]+?)[0-9A-F]{8}Arn[^"]*"\}$/.exec(text)?.[1] ?? text;
}

/** What Lambda's SQS event source calls with the function's role: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html */
const EVENT_SOURCE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

/** Every call of each function that expectAllowed has checked in this test file, by function. */
const checkedCalls = new Map<string, Call[]>();

/** The calls of the function whose logical id starts with `functionPrefix` that expectAllowed has checked. */
export const checkedCallsOf = (functionPrefix: string): Call[] => checkedCalls.get(functionPrefix) ?? [];

/** The IAM action behind an SQS operation: a batch needs the action of its single form. */
const sqsAction = (operation: string) => `sqs:${operation.replace(/Batch$/, '')}`;

/** Where the functions under test send their calls, to name the resources they touch. */
interface CallTargets {
  tableName: string;
  queues: Record<QueueName, { url: string; deadLetterUrl?: string }>;
  topicArn?: string;
}

const sentBodies = new WeakMap<ClientRequest, string>();
let bodiesKept = false;

/**
 * Node publishes `http.client.request.start` once the body is on its way, so the body (which names the
 * table, index or queue) is kept as it is written; only in this test process.
 */
function keepRequestBodies() {
  if (bodiesKept) return;
  bodiesKept = true;
  const keep = (request: ClientRequest, chunk: unknown) => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array)
      sentBodies.set(request, (sentBodies.get(request) ?? '') + Buffer.from(chunk).toString('utf8'));
  };
  const { write, end } = ClientRequest.prototype;
  ClientRequest.prototype.write = function (this: ClientRequest, chunk: unknown, ...rest: unknown[]) {
    keep(this, chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  ClientRequest.prototype.end = function (this: ClientRequest, chunk?: unknown, ...rest: unknown[]) {
    keep(this, chunk);
    return (end as (...args: unknown[]) => ClientRequest).call(this, chunk, ...rest);
  } as typeof end;
}

/** The AWS call a request makes, or undefined for a request to anything but AWS (the VK API stand-in). */
function callOf(request: ClientRequest, targets: CallTargets): Call[] | undefined {
  const body = sentBodies.get(request) ?? '';
  const target = request.getHeader('x-amz-target');
  // DynamoDB and SQS speak the AWS JSON protocol: X-Amz-Target names the operation, the body its resources.
  if (typeof target === 'string') {
    const operation = target.slice(target.indexOf('.') + 1);
    const input = JSON.parse(body || '{}') as Record<string, unknown>;
    if (target.startsWith('AmazonSQS.')) {
      const names = Object.keys(targets.queues) as QueueName[];
      const name = names.find((queue) => targets.queues[queue].url === input.QueueUrl);
      const deadLetters = names.find((queue) => targets.queues[queue].deadLetterUrl === input.QueueUrl);
      return [
        {
          action: sqsAction(operation),
          resource: name
            ? { kind: 'queue', name }
            : deadLetters
              ? { kind: 'deadLetterQueue', name: deadLetters }
              : { kind: 'unknown', name: String(input.QueueUrl) },
        },
      ];
    }
    const table = (tableName: unknown): Resource =>
      tableName === targets.tableName ? { kind: 'table' } : { kind: 'unknown', name: String(tableName) };
    const tables = input.RequestItems ? Object.keys(input.RequestItems) : [input.TableName];
    return tables.map((tableName) => ({
      action: `dynamodb:${operation}`,
      resource:
        typeof input.IndexName === 'string' && tableName === targets.tableName
          ? { kind: 'index', name: input.IndexName }
          : table(tableName),
    }));
  }
  // SSM through the Parameters and Secrets extension: the extension calls GetParameter with the function's role.
  const url = new URL(request.path, 'http://localhost');
  if (url.pathname === '/systemsmanager/parameters/get')
    return [
      {
        action: 'ssm:GetParameter',
        resource: { kind: 'parameter', name: url.searchParams.get('name') ?? '' },
      },
    ];
  // SNS speaks the AWS query protocol: a form body with its Action.
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  if (action && String(request.getHeader('content-type')).startsWith('application/x-www-form-urlencoded')) {
    const topicArn = form.get('TopicArn');
    return [
      {
        action: `sns:${action}`,
        resource:
          topicArn === targets.topicArn ? { kind: 'topic' } : { kind: 'unknown', name: String(topicArn) },
      },
    ];
  }
  return undefined;
}

/** Records every AWS call made in this process while a step runs, as the request leaves on HTTP. */
export function recordAwsCalls(targets: CallTargets) {
  keepRequestBodies();
  let calls: Call[] | undefined;
  subscribe('http.client.request.start', (message) => {
    if (!calls) return;
    const made = callOf((message as { request: ClientRequest }).request, targets);
    if (made) calls.push(...made);
  });
  return async function callsOf(step: () => Promise<unknown>): Promise<Call[]> {
    calls = [];
    try {
      await step();
      return calls;
    } finally {
      calls = undefined;
    }
  };
}

/**
 * Each call of one path of a function is allowed by that function's policy. `mayMakeNone`: a path whose calls
 * another path has already made and cached (a secret read once per process) may make none. `including`: calls
 * the path is known to make, each of which must be among those recorded, so that a path not taken (a failure
 * that never happened, a route that answered early) cannot pass unseen.
 */
export function expectAllowed(
  policies: Policies,
  functionPrefix: string,
  path: string,
  calls: Call[],
  options: { mayMakeNone?: boolean; including?: Call[] } = {},
) {
  checkedCalls.set(functionPrefix, [...checkedCallsOf(functionPrefix), ...calls]);
  if (!options.mayMakeNone)
    expect(calls.length, `${functionPrefix}, ${path}: made no AWS call`).toBeGreaterThan(0);
  const made = new Set(calls.map(describeCall));
  expect(
    (options.including ?? []).map(describeCall).filter((call) => !made.has(call)),
    `${functionPrefix}, ${path}: calls it should have made`,
  ).toEqual([]);
  expect(
    [...new Set(calls.filter((call) => !policies.allows(functionPrefix, call)).map(describeCall))],
    `${functionPrefix}, ${path}: calls its policy does not allow`,
  ).toEqual([]);
}
