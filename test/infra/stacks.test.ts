import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { ESCALATOR, INGEST, QUEUES, RETENTION, SCHEDULE_DEAD_LETTERS } from '../../lib/resources.js';
import { unbundledApp } from '../support/cdk-app.js';

let stateful: Template;
let stateless: Template;
let stacks: Stack[];

beforeAll(() => {
  const app = buildApp(unbundledApp({ stage: 'test', config: 'config/local.json' }));
  const assembly = app.synth();
  stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  expect(assembly.stacks).toHaveLength(2);
  stateful = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateful')) as Stack);
  stateless = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);
}, 120_000);

describe('stateful stack', () => {
  it('has the inquiry table: on demand, point-in-time recovery, encrypted with our key, with its indexes', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'gsi1' }),
        Match.objectLike({ IndexName: 'gsi3' }),
        Match.objectLike({ IndexName: 'gsi4' }),
      ],
    });
  });

  it('gives every queue a dead-letter queue and encrypts them all with KMS', () => {
    const queues = stateful.findResources('AWS::SQS::Queue');
    const withRedrive = Object.values(queues).filter((queue) => queue.Properties.RedrivePolicy);
    expect(withRedrive).toHaveLength(Object.keys(QUEUES).length);
    // Each queue and its dead-letter queue, and each schedule's dead-letter queue.
    expect(Object.keys(queues)).toHaveLength(
      2 * Object.keys(QUEUES).length + Object.keys(SCHEDULE_DEAD_LETTERS).length,
    );
    stateless.resourceCountIs('AWS::SQS::Queue', 0);
    for (const queue of Object.values(queues)) expect(queue.Properties.KmsMasterKeyId).toBeDefined();
    for (const queue of withRedrive)
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThan(1);
    stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('stateless stack', () => {
  // A logical id is a hash of the resource's construct path: drawn into a construct of its own, a resource
  // would be replaced on the next deploy. These cost ops something when replaced: the topic's e-mail
  // subscriptions confirmed again, the schedules, the functions' roles and their logs' history.
  it('keeps the logical ids of the deadline and retention parts where a deploy would replace them', () => {
    expect(Object.keys(stateless.toJSON().Resources)).toEqual(
      expect.arrayContaining([
        'EscalationTopic8FD7D57B',
        'EscalationTopicPolicy8DD1BBC4',
        'EscalationTopichousingexampleorg3E4C2810',
        'EscalatorLogsB2E45A10',
        'EscalatorServiceRole745EA2C9',
        'EscalatorFunction646ADBD0',
        'EscalatorScheduleDDF559ED',
        'RetentionLogsFC7F8844',
        'RetentionServiceRole84EE6737',
        'RetentionFunctionB0C2C547',
        'RetentionSchedule6CFDFDB3',
        'ObservabilityEscalatorRunsStoppedForTimeC5D535BF',
        'ObservabilityRetentionNotRunningA9552B41',
      ]),
    );
  });

  it('runs the functions on Node.js 22, arm64, traced, with recursive loops stopped', () => {
    const functions = stateless.findResources('AWS::Lambda::Function', {
      Properties: {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        RecursiveLoop: 'Terminate',
      },
    });
    expect(Object.keys(functions)).toHaveLength(7);
  });

  it('serves ANY /vk/callback through a throttled, logged REST API stage behind WAF', () => {
    stateless.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'callback' });
    stateless.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      AuthorizationType: 'NONE',
    });
    stateless.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() }),
      ]),
    });
    stateless.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('lets ingest end before the callback integration gives up, and answer within its own timeout', () => {
    const [ingest] = Object.values(
      stateless.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'ingest' }) },
        },
      }),
    );
    const [method] = Object.values(
      stateless.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'ANY' } }),
    );
    const functionMs = Number(ingest?.Properties.Timeout) * 1000;
    const integrationMs = Number(method?.Properties.Integration.TimeoutInMillis);
    // Room for a cold start's Init, which the function's timeout does not count and API Gateway's does.
    expect(integrationMs - functionMs).toBeGreaterThanOrEqual(1000);
    expect(functionMs).toBe(INGEST.timeoutSeconds * 1000);
    // The secrets (two reads of 1.5 s at most) leave SQS a first attempt within the budget, of at least 1 s.
    expect(functionMs - INGEST.answerReserveMs - 2 * 1500).toBeGreaterThanOrEqual(1000);
  });

  it('feeds every consumer from SQS with partial batch failure reporting, one mapping a queue', () => {
    const mappings = stateless.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: { FunctionResponseTypes: ['ReportBatchItemFailures'] },
    });
    // The classifier, the router, and the responder twice: the outbox and the operators' answers queue.
    expect(Object.keys(mappings)).toHaveLength(Object.keys(QUEUES).length);
    expect(Object.keys(mappings)).toHaveLength(4);
  });

  // The local runtime's pollers read the same QUEUES (local/runtime.ts): what they do locally is what the
  // stacks deploy. AWS asks a queue to hide a batch at least six times its function's timeout, so that Lambda
  // can retry a throttled invocation before the batch comes back:
  // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
  it('deploys each event source with the batching, timeout and attempts of lib/resources.ts, its queue hiding a batch six times the function’s timeout', () => {
    const queues = stateful.findResources('AWS::SQS::Queue');
    const functions = stateless.findResources('AWS::Lambda::Function');
    const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping'));
    for (const spec of Object.values(QUEUES)) {
      const pascal = spec.logicalName[0]?.toUpperCase() + spec.logicalName.slice(1);
      const [queueId, ...others] = Object.keys(queues).filter((id) =>
        new RegExp(`^${pascal}[0-9A-F]{8}$`).test(id),
      );
      expect(others, spec.logicalName).toEqual([]);
      const queue = queues[queueId as string]?.Properties;
      const mapping = mappings.find((candidate) =>
        JSON.stringify(candidate.Properties.EventSourceArn).includes(`FnGetAtt${queueId}Arn`),
      )?.Properties;
      const timeout = Number(functions[mapping?.FunctionName?.Ref]?.Properties.Timeout);
      expect(
        {
          batchSize: mapping?.BatchSize,
          window: mapping?.MaximumBatchingWindowInSeconds,
          concurrency: mapping?.ScalingConfig?.MaximumConcurrency,
          timeout,
          visibility: queue?.VisibilityTimeout,
          attempts: queue?.RedrivePolicy?.maxReceiveCount,
        },
        spec.logicalName,
      ).toEqual({
        batchSize: spec.batchSize,
        window: spec.maxBatchingWindowSeconds,
        concurrency: spec.maxConcurrency,
        timeout: spec.consumerTimeoutSeconds,
        visibility: spec.visibilityTimeoutSeconds,
        attempts: spec.maxReceiveCount,
      });
      expect(spec.visibilityTimeoutSeconds, spec.logicalName).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  // Lambda's poller receives, deletes and reads the queue's attributes with the function's role, nothing more:
  // https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html. No function looks a queue's URL up (each has it
  // in its environment), and only the responder puts a message out of sight itself (its backoff).
  it('gives each role on each queue the SQS actions it or its event source calls, and no more', () => {
    /** Each role's SQS actions by queue: the construct id the Stateful stack's export of its ARN names. */
    const sqsActions = (functionPrefix: string) => {
      const byQueue: Record<string, string[]> = {};
      for (const [id, policy] of Object.entries(stateless.findResources('AWS::IAM::Policy'))) {
        if (!id.startsWith(functionPrefix)) continue;
        for (const statement of policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]) {
          const actions = [statement.Action].flat().map(String);
          if (!actions.some((action) => action.startsWith('sqs:'))) continue;
          for (const resource of [statement.Resource].flat()) {
            const exported = String((resource as { 'Fn::ImportValue'?: string })['Fn::ImportValue']);
            const queue = /FnGetAtt([A-Za-z]+?)[0-9A-F]{8}Arn/.exec(exported)?.[1] ?? exported;
            byQueue[queue] = [...(byQueue[queue] ?? []), ...actions].sort();
          }
        }
      }
      return byQueue;
    };
    const poller = ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'];
    expect(sqsActions('Ingest')).toEqual({ Events: ['sqs:SendMessage'] });
    expect(sqsActions('Classifier')).toEqual({ Events: poller, Routing: ['sqs:SendMessage'] });
    expect(sqsActions('Router')).toEqual({
      // A change that overtook its message waits on the routing queue, then in its dead-letter queue.
      Routing: [...poller, 'sqs:SendMessage'].sort(),
      RoutingDlq: ['sqs:SendMessage'],
      Outbox: ['sqs:SendMessage'],
    });
    const backoff = [...poller, 'sqs:ChangeMessageVisibility'].sort();
    expect(sqsActions('AnsweringResponder')).toEqual({ Outbox: backoff, Answers: backoff });
    expect(sqsActions('OperatorsOperatorApi')).toEqual({ Answers: ['sqs:SendMessage'] });
  });

  it('lets each function write its own log group only, without AWSLambdaBasicExecutionRole', () => {
    const roles = stateless.findResources('AWS::IAM::Role');
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy'));
    const functions = Object.entries(stateless.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(7);
    for (const [name, fn] of functions) {
      const [role] = fn.Properties.Role['Fn::GetAtt'];
      // The managed policy allows logs:CreateLogGroup, CreateLogStream and PutLogEvents on every log group.
      expect(roles[role]?.Properties.ManagedPolicyArns, name).toBeUndefined();
      const logGrants = policies
        .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[])
        .filter((statement) => [statement.Action].flat().some((action) => String(action).startsWith('logs:')))
        .map(({ Action, Resource }) => ({ Action, Resource }));
      expect(logGrants, name).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
        },
      ]);
    }
    for (const stack of [stateful, stateless])
      expect(JSON.stringify(stack.toJSON())).not.toContain('AWSLambdaBasicExecutionRole');
  });

  it('grants no wildcard actions on the table or the queues', () => {
    for (const policy of Object.values(stateless.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        const actions = [statement.Action].flat() as string[];
        expect(actions.filter((action) => /^(dynamodb|sqs):.*\*/.test(action))).toEqual([]);
      }
    }
  });
});

describe('the data key', () => {
  /** Each statement of the stateless stack's policies that allows a KMS action, and the roles it is given to. */
  const keyStatements = () =>
    Object.values(stateless.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[])
        .filter((statement) => [statement.Action].flat().some((action) => String(action).startsWith('kms:')))
        .map((statement) => ({ roles: JSON.stringify(policy.Properties.Roles), statement })),
    );
  const condition = (statement: Record<string, unknown>) =>
    (statement.Condition as { StringEquals?: Record<string, unknown> } | undefined)?.StringEquals ?? {};
  const serviceOf = (statement: Record<string, unknown>) =>
    String(condition(statement)['kms:ViaService']).split('.')[0];
  /** The KMS statements of the function whose service name (its construct id, in lower case) is `name`. */
  const keyStatementsOf = (name: string) => {
    const [fn, ...others] = Object.values(
      stateless.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: name }) } },
      }),
    );
    expect(others).toEqual([]);
    const [role] = fn?.Properties.Role['Fn::GetAtt'] ?? [];
    return keyStatements()
      .filter(({ roles }) => roles === JSON.stringify([{ Ref: role }]))
      .map(({ statement }) => statement);
  };

  // The key policy leaves the key to IAM: a statement without kms:ViaService would let a role call KMS itself
  // and decrypt what it reads elsewhere, or encrypt anything under the citizens' key.
  it('is granted to every role only through SQS, SNS or DynamoDB, and each queue by its ARN', () => {
    const [keyId] = Object.keys(stateful.findResources('AWS::KMS::Key'));
    const statements = keyStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const { roles, statement } of statements) {
      const where = `${roles}: ${JSON.stringify(statement)}`;
      expect(JSON.stringify(statement.Resource), where).toContain(`Att${keyId}Arn`);
      expect(Object.keys(statement.Condition ?? {}), where).toEqual(['StringEquals']);
      expect(condition(statement)['kms:ViaService'], where).toMatch(
        /^(sqs|sns|dynamodb)\.eu-central-1\.amazonaws\.com$/,
      );
      const actions = [statement.Action].flat();
      expect(
        actions.every((action) =>
          ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'].includes(String(action)),
        ),
        where,
      ).toBe(true);
      if (serviceOf(statement) !== 'dynamodb') expect(actions, where).not.toContain('kms:Encrypt');
      if (serviceOf(statement) === 'sqs')
        expect(condition(statement)['kms:EncryptionContext:aws:sqs:arn'], where).toBeDefined();
    }
  });

  it('lets each function use it only through the services that hold the data it uses', () => {
    const services = (name: string) => [...new Set(keyStatementsOf(name).map(serviceOf))].sort();
    expect(services('ingest')).toEqual(['sqs']);
    expect(services('classifier')).toEqual(['dynamodb', 'sqs']);
    expect(services('router')).toEqual(['dynamodb', 'sqs']);
    // The scheduled functions send a run they gave up to their schedule's dead-letter queue.
    expect(services('escalator')).toEqual(['dynamodb', 'sns', 'sqs']);
    expect(services('retention')).toEqual(['dynamodb', 'sqs']);
    expect(services('responder')).toEqual(['dynamodb', 'sqs']);
    expect(services('operatorapi')).toEqual(['dynamodb', 'sqs']);
  });

  // DynamoDB names the table and the account, SNS the topic, in the encryption context of every KMS call they
  // make for a caller: a grant through either reaches only the table or topic it was made for.
  it('is granted through DynamoDB for the inquiry table of this account alone, through SNS for the deadline topic alone', () => {
    const [tableId] = Object.keys(stateful.findResources('AWS::DynamoDB::GlobalTable'));
    const [topicId, ...otherTopics] = Object.keys(
      stateless.findResources('AWS::SNS::Topic', {
        Properties: { KmsMasterKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('DataKey') } },
      }),
    );
    expect(otherTopics).toEqual([]);
    const statements = keyStatements().map(({ statement }) => statement);
    const viaTable = statements.filter((statement) => serviceOf(statement) === 'dynamodb');
    const viaTopic = statements.filter((statement) => serviceOf(statement) === 'sns');
    // The classifier, the router, the escalator, the responder, the operator API and the retention sweep.
    expect(viaTable).toHaveLength(6);
    for (const statement of viaTable) {
      const where = JSON.stringify(statement);
      expect(Object.keys(condition(statement)).sort(), where).toEqual([
        'kms:EncryptionContext:aws:dynamodb:subscriberId',
        'kms:EncryptionContext:aws:dynamodb:tableName',
        'kms:ViaService',
      ]);
      expect(JSON.stringify(condition(statement)['kms:EncryptionContext:aws:dynamodb:tableName'])).toMatch(
        new RegExp(`"VkInquiries-test-Stateful:ExportsOutputRef${tableId}`),
      );
      expect(condition(statement)['kms:EncryptionContext:aws:dynamodb:subscriberId']).toEqual({
        Ref: 'AWS::AccountId',
      });
    }
    expect(viaTopic).toHaveLength(1);
    expect(condition(viaTopic[0] ?? {})).toEqual({
      'kms:ViaService': 'sns.eu-central-1.amazonaws.com',
      'kms:EncryptionContext:aws:sns:topicArn': { Ref: topicId },
    });
  });

  it('lets ingest, which faces the internet, use it only for SQS to encrypt what it sends to the events queue', () => {
    const [queueId] = Object.keys(
      stateful.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }),
    ).filter((id) => id.startsWith('Events'));
    const [statement, ...others] = keyStatementsOf('ingest');
    expect(others).toEqual([]);
    expect([statement?.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(Object.keys(condition(statement ?? {})).sort()).toEqual([
      'kms:EncryptionContext:aws:sqs:arn',
      'kms:ViaService',
    ]);
    expect(JSON.stringify(condition(statement ?? {})['kms:EncryptionContext:aws:sqs:arn'])).toContain(
      `Att${queueId}Arn`,
    );
  });
});

describe('cdk-nag AwsSolutions', () => {
  // The synth above runs the checks as a validation plugin: an unacknowledged error makes it throw.
  it('leaves no unacknowledged error or warning', () => {
    for (const stack of stacks) {
      const findings = [
        ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
        ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ];
      expect(findings.map((finding) => `${finding.id}: ${String(finding.entry.data)}`)).toEqual([]);
    }
  });
});

/**
 * The schedule of the function whose logical id starts with `functionPrefix`: its retry policy, and its
 * dead-letter queue, which must be the Stateful stack's queue `<Name>ScheduleDlq…`, encrypted with the data
 * key, kept 14 days, refusing plain HTTP, which the scheduler's role may send to and encrypt for.
 */
function scheduleOf(functionPrefix: string) {
  const [schedule, ...others] = Object.values(
    stateless.findResources('AWS::Scheduler::Schedule', {
      Properties: {
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${functionPrefix}Function`), 'Arn'] },
        }),
      },
    }),
  );
  expect(others).toEqual([]);
  const target = schedule?.Properties.Target as {
    Arn: { 'Fn::GetAtt': [string, string] };
    RetryPolicy: unknown;
    DeadLetterConfig?: { Arn: { 'Fn::ImportValue': string } };
    RoleArn: { 'Fn::GetAtt': [string, string] };
  };
  const imported = target.DeadLetterConfig?.Arn['Fn::ImportValue'] ?? '';
  const queues = stateful.findResources('AWS::SQS::Queue');
  const [queueId, ...more] = Object.keys(queues).filter((id) => imported.includes(`Att${id}Arn`));
  expect(more).toEqual([]);
  expect(queueId).toMatch(new RegExp(`^${functionPrefix}ScheduleDlq`));
  const queue = queues[queueId as string]?.Properties;
  const [keyId] = Object.keys(stateful.findResources('AWS::KMS::Key'));
  expect(queue).toMatchObject({
    KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    MessageRetentionPeriod: 14 * 24 * 60 * 60,
  });
  expect(queue?.RedrivePolicy).toBeUndefined();
  stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: queueId }],
    PolicyDocument: Match.objectLike({
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    }),
  });
  const statementsOf = (role: string) =>
    Object.values(
      stateless.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
  const importing = (statement: Record<string, unknown>) =>
    String((statement.Resource as { 'Fn::ImportValue'?: string })['Fn::ImportValue']);
  /** The role may send to the queue, and use the data key for it alone: through SQS, for that queue. */
  const expectSendsToQueue = (role: string) => {
    const statements = statementsOf(role);
    const sends = statements.filter((statement) => [statement.Action].flat().includes('sqs:SendMessage'));
    expect(sends.map(importing)).toEqual([imported]);
    expect(sends[0]?.Action).toBe('sqs:SendMessage');
    const forQueue = statements.filter((statement) =>
      JSON.stringify(statement.Condition ?? {}).includes('aws:sqs:arn'),
    );
    expect(forQueue).toHaveLength(1);
    expect([forQueue[0]?.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(importing(forQueue[0] ?? {})).toContain(`Att${keyId}Arn`);
    expect(forQueue[0]?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': 'sqs.eu-central-1.amazonaws.com',
        'kms:EncryptionContext:aws:sqs:arn': { 'Fn::ImportValue': imported },
      },
    });
    return statements;
  };
  // The scheduler's role: no other use of the key.
  const [schedulerRole] = target.RoleArn['Fn::GetAtt'];
  const schedulerStatements = expectSendsToQueue(schedulerRole);
  expect(
    schedulerStatements.filter((statement) =>
      [statement.Action].flat().some((a) => String(a).startsWith('kms:')),
    ),
  ).toHaveLength(1);
  // Lambda's record of a run it took and gave up (throttled past its age, or failed) goes to the same queue,
  // sent with the function's role; a failed run is not retried.
  const [functionId] = target.Arn['Fn::GetAtt'];
  const [asyncConfig, ...moreConfigs] = Object.values(
    stateless.findResources('AWS::Lambda::EventInvokeConfig', {
      Properties: { FunctionName: { Ref: functionId } },
    }),
  ).map((config) => config.Properties);
  expect(moreConfigs).toEqual([]);
  expect(asyncConfig).toMatchObject({
    MaximumRetryAttempts: 0,
    DestinationConfig: { OnFailure: { Destination: { 'Fn::ImportValue': imported } } },
  });
  expect(asyncConfig?.DestinationConfig.OnSuccess).toBeUndefined();
  const functionRole = stateless.toJSON().Resources[functionId].Properties.Role['Fn::GetAtt'][0];
  expectSendsToQueue(functionRole);
  return {
    retryPolicy: target.RetryPolicy,
    queueId: String(queueId),
    asyncMaxEventAgeSeconds: asyncConfig?.MaximumEventAgeInSeconds,
  };
}

/** The stateless stack's alarm named `name` (its logical id: Observability, the name, a hash). */
const alarmNamed = (name: string) => {
  const [alarm, ...others] = Object.entries(stateless.findResources('AWS::CloudWatch::Alarm'))
    .filter(([id]) => id.replace(/^Observability/, '').replace(/[0-9A-F]{8}$/, '') === name)
    .map(([, resource]) => resource.Properties);
  expect(others).toEqual([]);
  return alarm;
};

/** The alarm on each new dead letter of the queue `queueId`, as the queues' own: their growth minute by minute. */
function expectDeadLettersAlarm(name: string, queueId: string) {
  const alarm = alarmNamed(name);
  expect(alarm).toMatchObject({
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    EvaluationPeriods: 15,
    DatapointsToAlarm: 1,
    TreatMissingData: 'notBreaching',
    AlarmActions: [expect.anything()],
  });
  const queries = alarm?.Metrics as { Expression?: string; MetricStat?: { Metric: unknown } }[];
  expect(queries.find((query) => query.Expression)?.Expression).toBe(
    'DIFF(FILL(FILL(visible + hidden, REPEAT), 0))',
  );
  const watched = queries
    .filter((query) => query.MetricStat)
    .map((query) => JSON.stringify(query.MetricStat));
  expect(watched).toHaveLength(2);
  for (const metric of watched) expect(metric).toContain(`Att${queueId}QueueName`);
}

/**
 * The alarm on the runs of the function whose logical id starts with `functionPrefix` that did not happen and
 * whose letter never reached the dead-letter queue: the scheduler's letters it could not send, counted in the
 * schedule's own group (in the account's default group they would be every schedule's there), and Lambda's
 * records it could not, each one alarmed, to the topic every alarm goes to.
 */
function expectLettersLostAlarm(name: string, functionPrefix: string, ids: string) {
  const [found, ...others] = Object.entries(
    stateless.findResources('AWS::Scheduler::Schedule', {
      Properties: {
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${functionPrefix}Function`), 'Arn'] },
        }),
      },
    }),
  ) as [string, { Properties: { GroupName?: string; Target: { Arn: { 'Fn::GetAtt': string[] } } } }][];
  expect(others).toEqual([]);
  const [scheduleId, schedule] = found ?? [];
  const group = schedule?.Properties.GroupName;
  const groups = Object.values(stateless.findResources('AWS::Scheduler::ScheduleGroup'));
  expect(groups.map((each) => each.Properties.Name)).toContain(group);
  const sharing = Object.keys(
    stateless.findResources('AWS::Scheduler::Schedule', { Properties: { GroupName: group } }),
  );
  expect(sharing).toEqual([scheduleId]);
  stateless.hasOutput(`${functionPrefix}ScheduleGroupName`, { Value: group });
  const [functionId] = schedule?.Properties.Target.Arn['Fn::GetAtt'] ?? [];

  const alarm = alarmNamed(name);
  const topic = alarmNamed('DeadlineBreaches')?.AlarmActions;
  expect(alarm).toMatchObject({
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    TreatMissingData: 'notBreaching',
    AlarmActions: topic,
    OKActions: topic,
  });
  const queries = alarm?.Metrics as {
    Id: string;
    Expression?: string;
    MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown }; Stat: string };
  }[];
  expect(queries.find((query) => query.Expression)?.Expression).toBe(
    `FILL(${ids}Scheduler, 0) + FILL(${ids}Lambda, 0)`,
  );
  expect(
    queries.filter((query) => query.MetricStat).map(({ Id, MetricStat }) => ({ Id, ...MetricStat })),
  ).toEqual([
    {
      Id: `${ids}Scheduler`,
      Metric: {
        Namespace: 'AWS/Scheduler',
        MetricName: 'InvocationsFailedToBeSentToDeadLetterCount',
        Dimensions: [{ Name: 'ScheduleGroup', Value: group }],
      },
      Period: 300,
      Stat: 'Sum',
    },
    {
      Id: `${ids}Lambda`,
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: 'DestinationDeliveryFailures',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      },
      Period: 300,
      Stat: 'Sum',
    },
  ]);
}

describe('the escalator', () => {
  const policiesOf = (functionPrefix: string) =>
    Object.entries(stateless.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith(functionPrefix))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
  const resourcesOf = (statement: Record<string, unknown>) => JSON.stringify(statement.Resource);
  /** The statement among `statements` that grants `action`. */
  const granting = (statements: Record<string, unknown>[], action: string) =>
    statements.find((statement) => [statement.Action].flat().includes(action));

  it('runs on a schedule through EventBridge Scheduler, with the house defaults', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Escalator'), 'Arn'] },
      }),
    });
    // A run that started and failed is not retried by Lambda's asynchronous invocation.
    stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^Escalator') },
      MaximumRetryAttempts: 0,
    });
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Timeout: ESCALATOR.timeoutSeconds,
      Environment: {
        Variables: Match.objectLike({
          ESCALATION_TOPIC_ARN: Match.anyValue(),
          TABLE_NAME: Match.anyValue(),
          POWERTOOLS_METRICS_NAMESPACE: 'VkInquiries/test',
        }),
      },
    });
  });

  it('has a run the scheduler could not start tried again for two minutes, then kept as an alarmed dead letter', () => {
    const { retryPolicy, queueId, asyncMaxEventAgeSeconds } = scheduleOf('Escalator');
    // Within two minutes a retried run (90 s at most) ends before the next one, five minutes on, begins.
    expect(retryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 });
    expect(ESCALATOR.scheduleRetry.maxEventAgeSeconds + ESCALATOR.timeoutSeconds).toBeLessThan(
      ESCALATOR.intervalMinutes * 60,
    );
    // A run Lambda throttled waits three minutes in its queue, not the six hours of its default.
    expect(asyncMaxEventAgeSeconds).toBe(180);
    expect(ESCALATOR.asyncMaxEventAgeSeconds + ESCALATOR.timeoutSeconds).toBeLessThan(
      ESCALATOR.intervalMinutes * 60,
    );
    expectDeadLettersAlarm('EscalatorScheduleDeadLetters', queueId);
    stateful.hasOutput('EscalatorScheduleDeadLetterQueueUrl', { Value: { Ref: queueId } });
  });

  it('has a run whose letter never reached the dead-letter queue alarmed, from a schedule group of its own', () => {
    expectLettersLostAlarm('EscalatorScheduleLettersLost', 'Escalator', 'escalator');
  });

  it('notifies through an SNS topic encrypted with our key, each department filtered by message attribute', () => {
    stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'housing@example.org',
      FilterPolicy: { department: ['housing'] },
    });
  });

  it('may query only the escalation index, read and write inquiries by key, and publish to its topic', () => {
    const statements = policiesOf('Escalator');
    const query = granting(statements, 'dynamodb:Query');
    expect(resourcesOf(query ?? {})).toMatch(/\/index\/gsi3/);
    expect(resourcesOf(query ?? {})).not.toMatch(/gsi1|gsi4/);
    const items = granting(statements, 'dynamodb:PutItem');
    // BatchGetItem: reads that start in the same turn (the re-reads of the notices a run clears together) go
    // in one call (lambdas/adapters/dynamo-batch-get.ts).
    expect([items?.Action].flat().sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    expect(resourcesOf(items ?? {})).not.toMatch(/index/);
    const publish = statements.find((statement) => statement.Action === 'sns:Publish');
    expect(resourcesOf(publish ?? {})).toMatch(/EscalationTopic/);
    // Only X-Ray's actions, which support no resource-level permissions, are granted on any resource.
    for (const statement of statements.filter((one) => resourcesOf(one) === '"*"'))
      expect([statement.Action].flat().every((action) => String(action).startsWith('xray:'))).toBe(true);
  });

  it('gives the classifier the ledger’s item actions, and no index', () => {
    const statements = policiesOf('Classifier');
    const table = granting(statements, 'dynamodb:PutItem');
    expect([table?.Action].flat().sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    expect(resourcesOf(table ?? {})).not.toMatch(/index/);
  });

  it('gives the router the item actions it calls, and no index', () => {
    const statements = policiesOf('Router');
    const table = granting(statements, 'dynamodb:PutItem');
    expect([table?.Action].flat().sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(resourcesOf(table ?? {})).not.toMatch(/index/);
  });
});

describe('the retention sweep', () => {
  const statementsOf = () =>
    Object.entries(stateless.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('Retention'))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
  const actionsOf = (statement: Record<string, unknown> | undefined) => [statement?.Action].flat().sort();

  it('runs every night at 03:00 Moscow time; a run that started and failed is not retried by Lambda', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Moscow',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Retention'), 'Arn'] },
      }),
    });
    stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^Retention') },
      MaximumRetryAttempts: 0,
    });
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      // The longest Lambda allows: a night's run deletes as much as it can.
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'retention',
          TABLE_NAME: Match.anyValue(),
          POWERTOOLS_METRICS_NAMESPACE: 'VkInquiries/test',
        }),
      },
    });
  });

  it('has a night run the scheduler could not start tried again for four hours, then kept as an alarmed dead letter', () => {
    const { retryPolicy, queueId, asyncMaxEventAgeSeconds } = scheduleOf('Retention');
    // As many attempts as the scheduler takes: the four hours bound them.
    expect(retryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 4 * 60 * 60 });
    // A night's run Lambda throttled waits as long in its queue.
    expect(asyncMaxEventAgeSeconds).toBe(4 * 60 * 60);
    expect(RETENTION.scheduleRetry.maxEventAgeSeconds).toBe(4 * 60 * 60);
    expectDeadLettersAlarm('RetentionScheduleDeadLetters', queueId);
    stateful.hasOutput('RetentionScheduleDeadLetterQueueUrl', { Value: { Ref: queueId } });
  });

  it('has a night run whose letter never reached the dead-letter queue alarmed, from a schedule group of its own', () => {
    expectLettersLostAlarm('RetentionScheduleLettersLost', 'Retention', 'retention');
  });

  it('may query and scan only the index by opening, and read, mark and delete items by key: no table scan, no update', () => {
    const statements = statementsOf();
    const onIndex = statements.filter((statement) => JSON.stringify(statement.Resource).includes('/index/'));
    expect(onIndex.map(actionsOf)).toEqual([['dynamodb:Query', 'dynamodb:Scan']]);
    expect(JSON.stringify(onIndex[0]?.Resource)).toMatch(/\/index\/gsi4/);
    const onTable = statements.find((statement) => actionsOf(statement).includes('dynamodb:DeleteItem'));
    expect(actionsOf(onTable)).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    const dynamo = statements
      .filter((statement) => statement !== onIndex[0])
      .flatMap(actionsOf)
      .filter((action) => String(action).startsWith('dynamodb:'));
    expect(dynamo).not.toContain('dynamodb:Scan');
    expect(dynamo).not.toContain('dynamodb:UpdateItem');
    // Nothing of SNS, SSM or SQS but Lambda's record of a run given up, sent to its schedule's dead-letter queue.
    expect(statements.flatMap(actionsOf).filter((action) => /^(sns|sqs|ssm):/.test(String(action)))).toEqual([
      'sqs:SendMessage',
    ]);
  });

  it('is watched by its error alarm, and its deletions are on the dashboard', () => {
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Retention') } }],
      MetricName: 'Errors',
    });
    const dashboards = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'));
    expect(JSON.stringify(dashboards)).toContain('InquiriesDeleted');
  });
});
