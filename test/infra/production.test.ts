import { readdirSync, readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { metricsNamespace, powertoolsMetrics } from '../../lambdas/adapters/metrics.js';
import { powertoolsOutboxMetrics } from '../../lambdas/adapters/outbox-metrics.js';
import { DEFAULT_CALLBACK_SILENCE_HOURS, parseAppConfig } from '../../lambdas/domain/config/schema.js';
import { countEffects } from '../../lambdas/domain/inquiry/effect-counts.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { Effect } from '../../lambdas/domain/inquiry/state-machine.js';
import { OUTBOX_PURPOSES } from '../../lambdas/domain/outbox/outbox-message.js';
import {
  createCallbackAcceptor,
  MAX_BODY_BYTES,
  RETRY_AFTER_SECONDS,
  TRIM_ABOVE_BYTES,
} from '../../lambdas/ingest/accept-callback.js';
import { createIngestHandler } from '../../lambdas/ingest/http-handler.js';
import { buildApp } from '../../lib/app.js';
import { FLOOD_BLOCKS } from '../../lib/constructs/callback-alarms.js';
import { CALLBACK_PATH } from '../../lib/constructs/callback-endpoint.js';
import { FIREWALL_RULES, LARGE_BODY_LIMIT, PROBE_LIMIT } from '../../lib/constructs/callback-firewall.js';
import { integersAbove } from '../../lib/number-pattern.js';
import { ESCALATOR, QUEUES, RETENTION, SCHEDULE_DEAD_LETTERS } from '../../lib/resources.js';
import { unbundledApp } from '../support/cdk-app.js';
import { callbackBody, TEST_CONFIG_FILE, TEST_SECRETS_FILE } from '../support/fixtures.js';
import { matchesFilter } from '../support/log-filter.js';

let stateful: Template;
let stateless: Template;
/** Where prod's functions count and its alarms and dashboard read: prod's own. */
const NAMESPACE = metricsNamespace('prod');

/** `npx cdk synth -c stage=prod`: the prod configuration, cdk-nag on (an unacknowledged finding throws). */
beforeAll(() => {
  const app = buildApp(unbundledApp({ stage: 'prod' }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  expect(stacks.map((stack) => stack.stackName).sort()).toEqual([
    'VkInquiries-prod-Stateful',
    'VkInquiries-prod-Stateless',
  ]);
  stateful = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateful')) as Stack);
  stateless = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);
}, 180_000);

const policyStatements = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) =>
      policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
  );

describe('prod keeps its data', () => {
  it('retains the table with deletion protection and point-in-time recovery of 35 days, and the keys', () => {
    stateful.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            // No RecoveryPeriodInDays: AWS's default, the 35 days the runbook's restore and erasure records count on.
            PointInTimeRecoverySpecification: Match.exact({ PointInTimeRecoveryEnabled: true }),
          }),
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    });
    for (const key of Object.values(stateful.findResources('AWS::KMS::Key')))
      expect(key.DeletionPolicy).toBe('Retain');
  });

  it('keeps the operators’ accounts with the data: the user pool is retained and deletion-protected', () => {
    stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE', MfaConfiguration: 'ON' }),
    });
    stateless.resourceCountIs('AWS::Cognito::UserPool', 0);
  });

  it('configures no CORS on the operator API: prod.json names no console of another origin', () => {
    const apis = Object.values(stateless.findResources('AWS::ApiGatewayV2::Api'));
    expect(apis).toHaveLength(1);
    expect(apis[0]?.Properties.CorsConfiguration).toBeUndefined();
  });

  it('keeps every log group a year', () => {
    const groups = Object.values(stateless.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(365);
  });
});

describe('security', () => {
  it('encrypts the table, every queue and every topic with customer-managed keys that rotate', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({ SSESpecification: { KMSMasterKeyId: Match.anyValue() } })],
    });
    for (const queue of Object.values(stateful.findResources('AWS::SQS::Queue')))
      expect(queue.Properties.KmsMasterKeyId).toBeDefined();
    const topics = Object.values(stateless.findResources('AWS::SNS::Topic'));
    expect(topics.length).toBeGreaterThanOrEqual(2);
    for (const topic of topics) expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    for (const key of [
      ...Object.values(stateful.findResources('AWS::KMS::Key')),
      ...Object.values(stateless.findResources('AWS::KMS::Key')),
    ])
      expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('takes messages of up to 1 MiB on every queue, more than ingest queues of an event at most', () => {
    const queues = Object.values(stateful.findResources('AWS::SQS::Queue'));
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) expect(queue.Properties.MaximumMessageSize).toBe(1024 * 1024);
    // An event over the trimming threshold is trimmed: what ingest queues whole is well within a message.
    expect(TRIM_ABOVE_BYTES).toBeLessThanOrEqual((1024 * 1024) / 2);
    expect(MAX_BODY_BYTES).toBe(4 * 1024 * 1024);
  });

  it('refuses plain HTTP to every queue and topic', () => {
    const queuePolicies = Object.values(stateful.findResources('AWS::SQS::QueuePolicy'));
    expect(queuePolicies).toHaveLength(Object.keys(stateful.findResources('AWS::SQS::Queue')).length);
    expect(queuePolicies).toHaveLength(
      2 * Object.keys(QUEUES).length + Object.keys(SCHEDULE_DEAD_LETTERS).length,
    );
    const topicPolicies = Object.values(stateless.findResources('AWS::SNS::TopicPolicy'));
    for (const policy of [...queuePolicies, ...topicPolicies])
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('grants no wildcard action, and no table or queue action on a wildcard resource', () => {
    for (const statement of [...policyStatements(stateless), ...policyStatements(stateful)]) {
      const actions = [statement.Action].flat();
      expect(
        actions.filter((action) => /^(dynamodb|sqs|sns|ssm):.*\*/.test(action) || action === '*'),
      ).toEqual([]);
      if (actions.some((action) => /^(dynamodb|sqs):/.test(action))) expect(statement.Resource).not.toBe('*');
    }
  });

  it('reads VK secrets from SSM by exact name and keeps them out of environment variables', () => {
    const config = JSON.parse(readFileSync('config/prod.json', 'utf8')) as {
      communities: { callbackSecret: { parameter: string } }[];
    };
    const ssm = policyStatements(stateless).filter((statement) =>
      [statement.Action].flat().includes('ssm:GetParameter'),
    );
    expect(ssm.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(ssm)).toContain(config.communities[0]?.callbackSecret.parameter.slice(1));
    // The values: the Parameters and Secrets extension's settings have SECRETS in their names.
    const environments = JSON.stringify(
      Object.values(stateless.findResources('AWS::Lambda::Function')).map((fn) =>
        Object.values(fn.Properties.Environment.Variables),
      ),
    );
    expect(environments).not.toMatch(/secret|token|password/i);
  });
});

describe('the public endpoint', () => {
  it('is throttled, answers Retry-After when throttled or failing, and limits bodies before ingest', () => {
    stateless.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
      ResponseParameters: {
        'gatewayresponse.header.Retry-After': `'${RETRY_AFTER_SECONDS}'`,
        'gatewayresponse.header.Content-Type': "'text/plain'",
      },
    });
    for (const type of ['INTEGRATION_FAILURE', 'INTEGRATION_TIMEOUT', 'DEFAULT_5XX'])
      stateless.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: '503',
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Retry-After': `'${RETRY_AFTER_SECONDS}'`,
        }),
      });
    stateless.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'oversized-body',
          Statement: {
            // 4 MiB by Content-Length: what a citizen's message forwarding 100 messages can weigh.
            RegexMatchStatement: Match.objectLike({ RegexString: integersAbove(4 * 1024 * 1024) }),
          },
        }),
        Match.objectLike({
          Name: 'flood-per-address',
          Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP' }) },
        }),
      ]),
    });
  });

  it('blocks an address only above what the stage lets through, and asks it back with Retry-After', () => {
    const [stage] = Object.values(stateless.findResources('AWS::ApiGateway::Stage'));
    const throttle = ((stage?.Properties.MethodSettings ?? []) as Record<string, unknown>[]).find(
      (setting) => setting.HttpMethod === '*' && setting.ResourcePath === '/*',
    ) as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    expect(throttle.ThrottlingRateLimit).toBeGreaterThan(0);
    const [acl] = Object.values(stateless.findResources('AWS::WAFv2::WebACL'));
    const flood = (
      (acl?.Properties.Rules ?? []) as {
        Name: string;
        Statement: { RateBasedStatement?: { Limit: number; EvaluationWindowSec: number } };
        Action?: { Block?: { CustomResponse?: { ResponseCode: number; ResponseHeaders?: unknown } } };
      }[]
    ).find((rule) => rule.Name === 'flood-per-address');
    const { Limit = 0, EvaluationWindowSec = 300 } = flood?.Statement.RateBasedStatement ?? {};
    // VK's few addresses carry every community's events: one must be able to use the whole stage.
    expect(Limit).toBeGreaterThanOrEqual(
      throttle.ThrottlingRateLimit * EvaluationWindowSec + throttle.ThrottlingBurstLimit,
    );
    const { ResponseCode, ResponseHeaders } = flood?.Action?.Block?.CustomResponse ?? {};
    expect(ResponseCode).toBe(429);
    expect(ResponseHeaders).toEqual([{ Name: 'Retry-After', Value: expect.stringMatching(/^[1-9]\d*$/) }]);
  });

  it("serves VK's route alone: cuts off an address probing anything else soon, and only counts AWS's IP reputation list", () => {
    // One method, on /vk/callback: any other path is API Gateway's own 403, no function runs.
    const paths = Object.values(stateless.findResources('AWS::ApiGateway::Resource')).map(
      (resource) => resource.Properties.PathPart,
    );
    expect(paths.sort()).toEqual(['callback', 'vk']);
    const methods = Object.values(stateless.findResources('AWS::ApiGateway::Method'));
    expect(methods.map((method) => method.Properties.HttpMethod)).toEqual(['ANY']);
    expect(CALLBACK_PATH).toBe('/vk/callback');
    const [acl] = Object.values(stateless.findResources('AWS::WAFv2::WebACL'));
    type Rule = {
      Name: string;
      Priority: number;
      Statement: Record<string, Record<string, unknown>>;
      Action?: { Block?: { CustomResponse?: { ResponseCode: number } } };
      OverrideAction?: Record<string, unknown>;
    };
    const rules = (acl?.Properties.Rules ?? []) as Rule[];
    const rule = (name: string) => rules.find((each) => each.Name === name);
    // VK's route: a POST whose path, as sent, ends with it (/prod/vk/callback carries the stage's name).
    const route = [
      {
        ByteMatchStatement: {
          FieldToMatch: { UriPath: {} },
          PositionalConstraint: 'ENDS_WITH',
          SearchString: CALLBACK_PATH,
          TextTransformations: [{ Priority: 0, Type: 'NONE' }],
        },
      },
      {
        ByteMatchStatement: {
          FieldToMatch: { Method: {} },
          PositionalConstraint: 'EXACTLY',
          SearchString: 'POST',
          TextTransformations: [{ Priority: 0, Type: 'NONE' }],
        },
      },
    ];
    const onRoute = { AndStatement: { Statements: route } };

    // The reputation list blocks nothing: a listed address on VK's route is counted, in its metrics and samples.
    const reputation = rule(FIREWALL_RULES.reputation);
    expect(reputation?.OverrideAction).toEqual({ Count: {} });
    expect(reputation?.Statement.ManagedRuleGroupStatement).toEqual({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesAmazonIpReputationList',
      ScopeDownStatement: onRoute,
    });

    // Anything but VK's route: a few hundred requests per address, then WAF's own 403 (no 429 to count).
    const probes = rule(FIREWALL_RULES.probes)?.Statement.RateBasedStatement;
    expect(probes).toMatchObject({
      AggregateKeyType: 'IP',
      ScopeDownStatement: { NotStatement: { Statement: onRoute } },
    });
    expect(probes?.Limit).toBe(PROBE_LIMIT);
    expect(PROBE_LIMIT).toBeLessThanOrEqual(300);
    expect(rule(FIREWALL_RULES.probes)?.Action).toEqual({ Block: {} });

    // VK's route keeps the high limit; its large bodies a low one, both answered 429 with Retry-After.
    expect(rule(FIREWALL_RULES.flood)?.Statement.RateBasedStatement).toMatchObject({
      ScopeDownStatement: onRoute,
    });
    const large = rule(FIREWALL_RULES.largeBodies);
    expect(large?.Statement.RateBasedStatement).toMatchObject({
      Limit: LARGE_BODY_LIMIT,
      AggregateKeyType: 'IP',
      ScopeDownStatement: {
        AndStatement: {
          Statements: [
            ...route,
            {
              RegexMatchStatement: {
                FieldToMatch: { SingleHeader: { Name: 'content-length' } },
                RegexString: integersAbove(TRIM_ABOVE_BYTES),
                TextTransformations: [{ Priority: 0, Type: 'NONE' }],
              },
            },
          ],
        },
      },
    });
    expect(large?.Action?.Block?.CustomResponse?.ResponseCode).toBe(429);
    // Every request meets some rate rule: the probes' where the flood's and the large bodies' do not reach.
    expect(rules.map((each) => each.Name).sort()).toEqual(
      ['oversized-body', ...Object.values(FIREWALL_RULES)].sort(),
    );
    // The bodies' rule still stands before every path.
    expect(JSON.stringify(rule('oversized-body')?.Statement)).not.toMatch(/ScopeDown|UriPath|Method/);
  });

  it('keeps its execution log as long as its other logs, in a group the stack makes before the stage', () => {
    type Resource = {
      Properties: Record<string, unknown> & { RestApiId?: unknown; StageName?: string };
      DeletionPolicy?: string;
      UpdateReplacePolicy?: string;
      DependsOn?: string[];
    };
    const resources = stateless.toJSON().Resources as Record<string, Resource>;
    const [stageId, ...others] = Object.keys(stateless.findResources('AWS::ApiGateway::Stage'));
    expect(others).toEqual([]);
    const stage = resources[stageId as string];
    expect(stage?.Properties.MethodSettings).toContainEqual(
      expect.objectContaining({ LoggingLevel: 'ERROR' }),
    );
    // API Gateway writes execution logs to a group of its naming, which it would create, kept forever.
    const name = {
      'Fn::Join': [
        '',
        ['API-Gateway-Execution-Logs_', stage?.Properties.RestApiId, `/${stage?.Properties.StageName}`],
      ],
    };
    const [groupId, ...more] = Object.keys(
      stateless.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: name } }),
    );
    expect(more).toEqual([]);
    const group = resources[groupId as string];
    const [accessLogs] = Object.entries(resources).filter(([id]) => id.startsWith('CallbackAccessLogs'));
    expect(group?.Properties.RetentionInDays).toBe(365);
    expect(group?.DeletionPolicy).toBe(accessLogs?.[1].DeletionPolicy);
    expect(group?.UpdateReplacePolicy).toBe(accessLogs?.[1].UpdateReplacePolicy);
    expect(stage?.DependsOn).toContain(groupId);
  });

  it('reserves concurrency for ingest and caps the consumers, so that a flood cannot starve the rest', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 50,
      Environment: { Variables: Match.objectLike({ EVENTS_QUEUE_URL: Match.anyValue() }) },
    });
    const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings.length).toBeGreaterThanOrEqual(2);
    for (const mapping of mappings)
      expect(mapping.Properties.ScalingConfig?.MaximumConcurrency).toBeGreaterThanOrEqual(2);
  });
});

describe('observability', () => {
  const alarms = () => Object.values(stateless.findResources('AWS::CloudWatch::Alarm'));

  it('alarms on each new message of every dead-letter queue, so that one kept there silences none after it', () => {
    type Query = {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } };
    };
    const growth = alarms().filter((alarm) =>
      ((alarm.Properties.Metrics ?? []) as Query[]).some((query) => query.Expression?.startsWith('DIFF(')),
    );
    const deadLetterQueues = Object.keys(
      stateful.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.absent() } }),
    );
    // The queues', and the schedules' (the runs EventBridge Scheduler could not start).
    expect(deadLetterQueues).toHaveLength(
      Object.keys(QUEUES).length + Object.keys(SCHEDULE_DEAD_LETTERS).length,
    );
    expect(growth).toHaveLength(deadLetterQueues.length);
    for (const queue of deadLetterQueues) {
      const [watching] = growth.filter((alarm) => JSON.stringify(alarm.Properties.Metrics).includes(queue));
      const queries = (watching?.Properties.Metrics ?? []) as Query[];
      // Those out of sight count too: a dry run of dlq:replay, which hides them while counting, is no growth.
      expect(queries.map((query) => query.MetricStat?.Metric.MetricName).filter(Boolean)).toEqual([
        'ApproximateNumberOfMessagesVisible',
        'ApproximateNumberOfMessagesNotVisible',
      ]);
      expect(watching?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
    }
    // No alarm on how many wait there: it would stay in ALARM, silent, while one is kept.
    expect(
      alarms().filter((alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible'),
    ).toEqual([]);
  });

  it("alarms on queue age, function errors and throttles, VK's refused requests, 5xx and deadline breaches, all to the ops topic", () => {
    const names = alarms().map((alarm) => alarm.Properties.MetricName ?? 'expression');
    for (const metric of ['ApproximateAgeOfOldestMessage', 'Errors', 'Throttles', 'DeadlineBreaches'])
      expect(names).toContain(metric);
    for (const metric of ['RefusedRetries-prod', 'ThrottledAnswers-prod', '5XXError'])
      expect(
        alarms().some((alarm) => JSON.stringify(alarm.Properties.Metrics ?? []).includes(`"${metric}"`)),
      ).toBe(true);
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  it('lets CloudWatch publish the alarms of this account and region to the ops topic, and use its key', () => {
    const [topic] = Object.keys(
      stateless.findResources('AWS::SNS::Topic', {
        Properties: { DisplayName: 'VK inquiries alarms (prod)' },
      }),
    );
    const [policy, ...others] = Object.values(
      stateless.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: topic }] } }),
    );
    expect(others).toEqual([]);
    // The topic's policy replaces SNS's default one: without an Allow, CloudWatch's publish is refused.
    const statements = policy?.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topic },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudwatch:eu-central-1:',
                  { Ref: 'AWS::AccountId' },
                  ':alarm:*',
                ],
              ],
            },
          },
        },
      }),
    );
    const alarmTopic = stateless.toJSON().Resources[topic as string].Properties;
    const [keyId] = alarmTopic.KmsMasterKeyId['Fn::GetAtt'] as [string];
    const keyStatements = stateless.toJSON().Resources[keyId].Properties.KeyPolicy.Statement;
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']),
      }),
    );
  });

  it("alarms on the callback's 5xx by its access log too: API Gateway counts its own changed 503s as 4xx", () => {
    type Query = { Id: string; Expression?: string; MetricStat?: { Metric: Record<string, unknown> } };
    const [accessLogs, ...others] = Object.keys(stateless.findResources('AWS::Logs::LogGroup', {})).filter(
      (id) => id.startsWith('CallbackAccessLogs'),
    );
    expect(others).toEqual([]);
    // The access log writes the status as text: a JSON string match finds it.
    const [stage] = Object.values(stateless.findResources('AWS::ApiGateway::Stage'));
    expect(stage?.Properties.AccessLogSetting.Format).toContain('"status":"$context.status"');
    const [filter, ...more] = Object.values(
      stateless.findResources('AWS::Logs::MetricFilter', {
        Properties: { LogGroupName: { Ref: accessLogs }, FilterPattern: '{ $.status = "5*" }' },
      }),
    );
    expect(more).toEqual([]);
    const [transformation] = filter?.Properties.MetricTransformations ?? [];
    expect(transformation).toMatchObject({ MetricValue: '1', MetricName: 'ServerErrorAnswers-prod' });
    const [watching, ...twice] = alarms().filter((alarm) =>
      ((alarm.Properties.Metrics ?? []) as Query[]).some(
        (query) => query.MetricStat?.Metric.MetricName === transformation.MetricName,
      ),
    );
    expect(twice).toEqual([]);
    const queries = watching?.Properties.Metrics as Query[];
    expect(
      queries.find((query) => query.MetricStat?.Metric.MetricName === transformation.MetricName),
    ).toMatchObject({ MetricStat: { Metric: { Namespace: transformation.MetricNamespace }, Stat: 'Sum' } });
    expect(
      queries
        .map((query) => query.MetricStat?.Metric.MetricName)
        .filter(Boolean)
        .sort(),
    ).toEqual(['5XXError', transformation.MetricName]);
    expect(watching?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it("alarms on VK's requests refused within minutes of one refused event, never on a scanner's", async () => {
    type Query = { Id: string; Expression?: string; MetricStat?: { Metric: Record<string, unknown> } };
    const filters = Object.values(stateless.findResources('AWS::Logs::MetricFilter')).map(
      (filter) => filter.Properties,
    );
    const [refused, ...more] = Object.entries(stateless.findResources('AWS::CloudWatch::Alarm'))
      .filter(([id]) => id.startsWith('ObservabilityCallbackClientErrorRate'))
      .map(([, alarm]) => alarm);
    expect(more).toEqual([]);
    expect(refused?.Properties).toMatchObject({
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    // What it reads: metric filters, over ingest's log and the callback's access log; no API Gateway 4XXError.
    const queries = refused?.Properties.Metrics as Query[];
    const read = queries.flatMap((query) => (query.MetricStat ? [query] : []));
    expect(read.every((query) => query.MetricStat?.Metric.Namespace === 'VkInquiries/Callback')).toBe(true);
    expect(queries.find((query) => query.Expression)?.Expression).toMatch(/\+/);
    const filterOf = (query: Query) =>
      filters.find(
        (filter) =>
          (filter.MetricTransformations as { MetricName: string }[])[0]?.MetricName ===
          query.MetricStat?.Metric.MetricName,
      );
    const [ingestLogs] = Object.keys(stateless.findResources('AWS::Logs::LogGroup')).filter((id) =>
      id.startsWith('IngestLogs'),
    );
    const [accessLogs] = Object.keys(stateless.findResources('AWS::Logs::LogGroup')).filter((id) =>
      id.startsWith('CallbackAccessLogs'),
    );
    const patterns = { ingest: [] as string[], access: [] as string[] };
    for (const query of read) {
      const filter = filterOf(query);
      const group = (filter?.LogGroupName as { Ref: string } | undefined)?.Ref;
      expect([ingestLogs, accessLogs]).toContain(group);
      patterns[group === ingestLogs ? 'ingest' : 'access'].push(filter?.FilterPattern as string);
    }
    expect(patterns.ingest).toHaveLength(1);
    expect(patterns.access).toHaveLength(1);

    // Ingest as it runs, its log lines kept; what each request would add to the alarm's metrics.
    const lines: Record<string, unknown>[] = [];
    const logger = new Logger({ serviceName: 'ingest', logLevel: 'INFO' });
    const write = (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>);
    Object.assign(logger, { console: { info: write, warn: write, error: write, debug: write, log: write } });
    const config = parseAppConfig(JSON.parse(readFileSync(TEST_CONFIG_FILE, 'utf8')), TEST_CONFIG_FILE);
    const secrets = JSON.parse(readFileSync(TEST_SECRETS_FILE, 'utf8')) as Record<string, string>;
    const ingest = createIngestHandler(
      createCallbackAcceptor({
        config,
        secrets: { get: async (name) => secrets[name] },
        queue: { send: async () => undefined },
        clock: { now: () => new Date('2026-03-02T06:00:00Z') },
      }),
      () => logger,
    ) as unknown as (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
    const counted = async (
      body: unknown,
      { method = 'POST', retry }: { method?: string; retry?: number } = {},
    ) => {
      lines.length = 0;
      const headers: Record<string, string> = retry === undefined ? {} : { 'X-Retry-Counter': String(retry) };
      const { statusCode } = await ingest(
        {
          httpMethod: method,
          headers,
          body: typeof body === 'string' ? body : JSON.stringify(body),
          isBase64Encoded: false,
          requestContext: {},
        },
        { functionName: 'ingest', awsRequestId: 'test', getRemainingTimeInMillis: () => 5000 },
      );
      const access = accessLogLine(statusCode);
      return (
        lines.filter((line) => patterns.ingest.some((pattern) => matchesFilter(pattern, line))).length +
        patterns.access.filter((pattern) => matchesFilter(pattern, access)).length
      );
    };
    const event = callbackBody('03_message_new__vknet.json');
    // A scanner's: a GET, no JSON, no event, a forged secret, a community not ours; none counts, however many.
    const probes = [
      await counted('', { method: 'GET' }),
      await counted('{"'),
      await counted({ hello: 'world' }),
      await counted({ ...event, secret: 'guessed' }),
      await counted({ ...event, group_id: 1 }),
    ];
    expect(probes).toEqual([0, 0, 0, 0, 0]);
    // VK's event refused (a secret rotated out of order): its first delivery has no retry counter, its retry
    // 10 s later has, and counts; the third delivery, 3 minutes on, counts again.
    const rotated = { ...event, secret: 'the-secret-vk-has-now' };
    expect(await counted(rotated)).toBe(0);
    expect(await counted(rotated, { retry: 1 })).toBe(1);
    expect(await counted(rotated, { retry: 2 })).toBe(1);
    expect(await counted({ ...event, group_id: 1 }, { retry: 1 })).toBe(1);
    // VK's event taken on its retry is no refusal.
    expect(await counted(event, { retry: 1 })).toBe(0);
    // Turned away by the stage's throttle or WAF's rate rules: 429, in the access log.
    expect(patterns.access.filter((pattern) => matchesFilter(pattern, accessLogLine(429)))).toHaveLength(1);
    // WAF's own 403 for an address probing other paths (probes-per-address) and its 413 count nothing.
    for (const status of [403, 404, 413, 400, 405])
      expect(patterns.access.filter((pattern) => matchesFilter(pattern, accessLogLine(status)))).toEqual([]);
  });

  it("alarms on each block of the flood rule, which can cut off VK's address, and on no other rule's", () => {
    const [acl, ...others] = Object.values(stateless.findResources('AWS::WAFv2::WebACL'));
    expect(others).toEqual([]);
    expect(acl?.Properties.Scope).toBe('REGIONAL');
    const onWaf = alarms().filter((alarm) => alarm.Properties.Namespace === 'AWS/WAFV2');
    const byRule = Object.fromEntries(
      onWaf.map((alarm) => {
        // A regional web ACL's rule metrics: its visibility metric name, its region and the rule's.
        const dimensions = Object.fromEntries(
          (alarm.Properties.Dimensions as { Name: string; Value: unknown }[]).map((d) => [d.Name, d.Value]),
        );
        expect(dimensions).toMatchObject({
          WebACL: acl?.Properties.VisibilityConfig.MetricName,
          Region: 'eu-central-1',
        });
        return [dimensions.Rule as string, alarm.Properties];
      }),
    );
    // The rules' own names, as the web ACL gives them metrics. The large bodies' 429s are counted, with the
    // stage's, by CallbackClientErrorRate; the probes' and the reputation list's are no concern of VK's.
    const rules = (
      (acl?.Properties.Rules ?? []) as { Name: string; VisibilityConfig: { MetricName: string } }[]
    ).map((rule) => [rule.Name, rule.VisibilityConfig.MetricName]);
    for (const name of Object.values(FIREWALL_RULES)) expect(rules).toContainEqual([name, name]);
    expect(Object.keys(byRule)).toEqual([FIREWALL_RULES.flood]);
    const alarmTopic = topicShownAs('VK inquiries alarms (prod)');
    expect(byRule[FIREWALL_RULES.flood]).toMatchObject({
      MetricName: 'BlockedRequests',
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopic }],
      OKActions: [{ Ref: alarmTopic }],
      Period: 900,
      Threshold: FLOOD_BLOCKS,
    });
  });

  it('alarms on deadline e-mails SNS gave up delivering, on the escalation topic, to the ops topic', () => {
    const escalationTopic = topicShownAs('Сроки обращений граждан');
    const alarmTopic = topicShownAs('VK inquiries alarms (prod)');
    const [failed, ...more] = alarms().filter((alarm) => alarm.Properties.Namespace === 'AWS/SNS');
    expect(more).toEqual([]);
    expect(failed?.Properties).toMatchObject({
      MetricName: 'NumberOfNotificationsFailed',
      Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [escalationTopic, 'TopicName'] } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopic }],
      OKActions: [{ Ref: alarmTopic }],
    });
  });

  it('alarms when no request has been answered 200 for the configured hours, taking no data for none', () => {
    const alarmTopic = topicShownAs('VK inquiries alarms (prod)');
    const [accessLogs] = Object.keys(stateless.findResources('AWS::Logs::LogGroup')).filter((id) =>
      id.startsWith('CallbackAccessLogs'),
    );
    const [accepted, ...others] = Object.values(
      stateless.findResources('AWS::Logs::MetricFilter', {
        Properties: { LogGroupName: { Ref: accessLogs }, FilterPattern: '{ $.status = "200" }' },
      }),
    );
    expect(others).toEqual([]);
    const [{ MetricName, MetricNamespace }] = accepted?.Properties.MetricTransformations ?? [{}];
    // What it counts: the answers only a community's secret gets, never a scanner's, whatever it sends.
    for (const [status, counts] of [
      [200, true],
      [403, false],
      [405, false],
      [400, false],
      [429, false],
    ] as const)
      expect(matchesFilter(accepted?.Properties.FilterPattern, accessLogLine(status))).toBe(counts);
    const [silent, ...more] = alarms().filter(
      (alarm) => alarm.Properties.Namespace === MetricNamespace && alarm.Properties.MetricName === MetricName,
    );
    expect(more).toEqual([]);
    // Nor does any alarm still read API Gateway's Count, which every scanner's request keeps up.
    expect(alarms().filter((alarm) => alarm.Properties.MetricName === 'Count')).toEqual([]);
    // prod.json sets none: the default, six hourly periods, every one of them without a request.
    expect(JSON.parse(readFileSync('config/prod.json', 'utf8')).alarms.callbackSilenceHours).toBeUndefined();
    expect(silent?.Properties).toMatchObject({
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: DEFAULT_CALLBACK_SILENCE_HOURS,
      DatapointsToAlarm: DEFAULT_CALLBACK_SILENCE_HOURS,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: alarmTopic }],
      OKActions: [{ Ref: alarmTopic }],
    });
  });

  it('counts in the runbook’s cost the alarms there are and the metrics they read', () => {
    const costs = readFileSync('docs/runbook.md', 'utf8').replace(/\s+/g, ' ');
    const [, alarmCount, metricCount, dollars] =
      /(\d+) alarms reading (\d+) metrics \(about \$(\d+\.\d\d) at \$0\.10 a metric/.exec(costs) ?? [];
    // An alarm is priced by the metrics it reads: each of a math expression's metrics, or its one metric.
    const read = alarms().map(
      (alarm) =>
        ((alarm.Properties.Metrics ?? [{ MetricStat: 'one' }]) as { MetricStat?: unknown }[]).filter(
          (query) => query.MetricStat,
        ).length,
    );
    expect(Number(alarmCount)).toBe(read.length);
    expect(Number(metricCount)).toBe(read.reduce((sum, count) => sum + count, 0));
    expect(Number(dollars)).toBeCloseTo(Number(metricCount) * 0.1, 2);
  });

  it('says in the runbook and in no document otherwise the body size the firewall refuses, the one ingest takes', () => {
    const mib = `${MAX_BODY_BYTES / (1024 * 1024)} MiB`;
    const runbook = readFileSync('docs/runbook.md', 'utf8');
    const refused = runbook.slice(runbook.indexOf('### Refused VK events')).replace(/\s+/g, ' ');
    expect(refused).toContain(`a body over ${mib} by its \`Content-Length\` (WAF, 413)`);
    // The callback's limit is said nowhere else as another: 256 KiB is only where a larger event is trimmed.
    const documents = [
      'README.md',
      ...readdirSync('docs').flatMap((name) => (name.endsWith('.md') ? [`docs/${name}`] : [])),
    ];
    for (const file of documents) {
      const text = readFileSync(file, 'utf8').replace(/\s+/g, ' ');
      expect(text, file).not.toMatch(/(?:bodies|body|requests?) (?:over|above|larger than) 256 KiB/i);
    }
  });

  it('watches every function of the product for errors and throttles', () => {
    const functions = Object.keys(
      stateless.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }),
    );
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const metric of ['Errors', 'Throttles']) {
      const watched = JSON.stringify(
        alarms()
          .filter((alarm) => alarm.Properties.MetricName === metric)
          .map((alarm) => alarm.Properties.Dimensions),
      );
      for (const fn of functions) expect(watched).toContain(fn);
    }
  });

  it('has a dashboard of the pipeline', () => {
    stateless.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(
      Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    for (const widget of ['Pipeline flow', 'Queue depths', 'VK events in']) expect(body).toContain(widget);
  });

  it("charts beside the schedules' dead letters the letters lost on the way, as their alarms read them", () => {
    const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody;
    const depths = dashboardWidgets(dashboard).find((widget) => widget.properties.title === 'Queue depths');
    const rows = depths?.properties.metrics ?? [];
    /** A row's options: its last cell when an object (label, axis, id, expression). */
    const options = (row: unknown[]) => {
      const last = row.at(-1);
      return (typeof last === 'object' && last !== null ? last : {}) as Record<string, unknown>;
    };
    // Each alarm's expression, labelled for its schedule, on the right axis.
    const lost = rows.filter((row) => String(options(row).label).endsWith('letters lost'));
    expect(lost.map((row) => [options(row).label, options(row).yAxis])).toEqual([
      ['EscalatorSchedule letters lost', 'right'],
      ['RetentionSchedule letters lost', 'right'],
    ]);
    for (const row of lost) expect(options(row).expression).toMatch(/^FILL\(\w+, 0\) \+ FILL\(\w+, 0\)$/);
    // And the counts they sum, hidden: each schedule group's letters the scheduler could not send, each
    // function's records Lambda could not deliver.
    const hidden = chartedMetricsOf(rows).filter((metric) =>
      ['InvocationsFailedToBeSentToDeadLetterCount', 'DestinationDeliveryFailures'].includes(metric.name),
    );
    expect(hidden.map((metric) => metric.name).sort()).toEqual([
      'DestinationDeliveryFailures',
      'DestinationDeliveryFailures',
      'InvocationsFailedToBeSentToDeadLetterCount',
      'InvocationsFailedToBeSentToDeadLetterCount',
    ]);
  });

  it('alarms when escalator runs are cut short in three of four, not when one or two are', () => {
    const [cutShort, ...more] = alarms().filter(
      (alarm) => alarm.Properties.MetricName === 'EscalatorRunsStoppedForTime',
    );
    expect(more).toEqual([]);
    expect(cutShort?.Properties).toMatchObject({
      Namespace: NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'escalator' }],
      Statistic: 'Sum',
      // A period a run: the schedule's interval.
      Period: ESCALATOR.intervalMinutes * 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 4,
      DatapointsToAlarm: 3,
      // A run that finished in time writes no count: no data is no run cut short.
      TreatMissingData: 'notBreaching',
    });
    expect(cutShort?.Properties.AlarmActions).toHaveLength(1);
    expect(cutShort?.Properties.OKActions).toHaveLength(1);
    const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody;
    const graph = dashboardWidgets(dashboard).find((widget) =>
      widget.properties.title?.startsWith('Escalator runs stopped for time'),
    );
    expect(
      (graph?.properties.metrics ?? []).map((metric) => metric.filter((cell) => typeof cell === 'string')[1]),
    ).toEqual(['EscalatorRunsStoppedForTime', 'EscalationChecksLeft', 'Duration']);
  });

  it('alarms weeks before deadlines reach a year the production calendar does not list, from what the escalator writes', () => {
    const [runningOut, ...more] = alarms().filter(
      (alarm) => alarm.Properties.MetricName === 'CalendarDaysLeft',
    );
    expect(more).toEqual([]);
    const alarmTopic = topicShownAs('VK inquiries alarms (prod)');
    expect(runningOut?.Properties).toMatchObject({
      Namespace: NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'escalator' }],
      // A level: the fewest days a run of the hour found.
      Statistic: 'Minimum',
      Period: 3600,
      Threshold: ESCALATOR.calendar.alarmBelowDays,
      ComparisonOperator: 'LessThanThreshold',
      // Any hour of the last three: a run or two missed does not clear it.
      EvaluationPeriods: 3,
      DatapointsToAlarm: 1,
      // Written only while low: no data is a calendar far from its end.
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopic }],
      OKActions: [{ Ref: alarmTopic }],
    });
    expect(runningOut?.Properties.AlarmDescription).toMatch(
      /^The production calendar this stage .*Yearly update/,
    );
    // What the escalator writes, in prod's namespace, is what the alarm reads.
    const written = emittedMetrics(() => powertoolsMetrics('escalator').count('CalendarDaysLeft', {}, 31));
    expect(written).toEqual([
      { namespace: NAMESPACE, name: 'CalendarDaysLeft', dimensions: { service: 'escalator' } },
    ]);
    // Charted over a month, the alarm's metric as it reads it.
    const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody;
    const [graph, ...others] = dashboardWidgets(dashboard).filter((widget) =>
      JSON.stringify(widget.properties.metrics ?? []).includes('CalendarDaysLeft'),
    );
    expect(others).toEqual([]);
    expect(graph?.properties.start).toBe('-P30D');
    expect(graph?.properties.title).toMatch(/^Production calendar: days left/);
    expect(chartedMetricsOf(graph?.properties.metrics ?? [])).toEqual([
      { namespace: NAMESPACE, name: 'CalendarDaysLeft', dimensions: { service: 'escalator' } },
    ]);
    expect(JSON.stringify(graph?.properties.metrics)).toContain('"stat":"Minimum"');
  });

  it('alarms when the retention sweep runs out of time three nights in a row, not once or twice', () => {
    const [incomplete, ...more] = alarms().filter(
      (alarm) => alarm.Properties.MetricName === 'RetentionRunsIncomplete',
    );
    expect(more).toEqual([]);
    expect(incomplete?.Properties).toMatchObject({
      Namespace: NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'retention' }],
      Statistic: 'Sum',
      // A period a night: the schedule runs once a day.
      Period: 24 * 60 * 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      // A night that finished writes no count.
      TreatMissingData: 'notBreaching',
    });
    expect(incomplete?.Properties.AlarmActions).toHaveLength(1);
    expect(incomplete?.Properties.OKActions).toHaveLength(1);
  });

  it('alarms when the escalator or the retention sweep goes uninvoked: a stopped schedule fails nothing', () => {
    const notRunning = (fn: string) =>
      alarms().filter(
        (alarm) =>
          alarm.Properties.MetricName === 'Invocations' &&
          JSON.stringify(alarm.Properties.Dimensions).includes(`"${fn}Function`),
      );
    const [escalator, ...moreEscalator] = notRunning('Escalator');
    const [retention, ...moreRetention] = notRunning('Retention');
    expect([...moreEscalator, ...moreRetention]).toEqual([]);
    const uninvoked = {
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      // No run writes no data point: that is what it watches for.
      TreatMissingData: 'breaching',
      AlarmActions: [expect.anything()],
      OKActions: [expect.anything()],
    };
    // Three of the schedule's periods without a run, every one of them.
    expect(escalator?.Properties).toMatchObject({
      ...uninvoked,
      Period: ESCALATOR.intervalMinutes * 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
    // 25 hours without a run: any such window holds a whole night's run. CloudWatch evaluates at most 7 days
    // of periods of an hour or more.
    expect(retention?.Properties).toMatchObject({
      ...uninvoked,
      Period: 3600,
      EvaluationPeriods: 25,
      DatapointsToAlarm: 25,
    });
    expect(retention?.Properties.AlarmDescription).toContain(`${RETENTION.scheduleTimeZone}`);
    // Every other alarm takes no data for no trouble, but the one on a silent VK callback.
    const others = alarms().filter(
      (alarm) =>
        alarm.Properties.MetricName !== 'Invocations' &&
        alarm.Properties.MetricName !== 'AcceptedRequests-prod',
    );
    expect(new Set(others.map((alarm) => alarm.Properties.TreatMissingData))).toEqual(
      new Set(['notBreaching']),
    );
  });

  it("charts the retention sweep's nights over 14 days, whatever the dashboard's range, each department's deletions too", () => {
    const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody;
    const widgets = dashboardWidgets(dashboard);
    const [graph, ...others] = widgets.filter((widget) =>
      JSON.stringify(widget.properties.metrics ?? []).match(/InquiriesDeleted|RetentionRunsIncomplete/),
    );
    expect(others).toEqual([]);
    expect(graph?.properties.start).toBe('-P14D');
    const rows = dashboardRows((title) => title === graph?.properties.title);
    expect(rows.map((row) => [row.cells[1], row.options.label])).toEqual([
      // CloudWatch's dynamic label: each department's line is named by its department.
      [undefined, expect.stringMatching(/^deleted: \$\{PROP\('Dim\.department'\)\}$/)],
      ['InquiriesDeleted', 'deleted in all'],
      ['RetentionRunsIncomplete', 'runs incomplete'],
    ]);
    // Per department: the metrics the sweep writes with the department, in prod's namespace, a night each.
    expect(rows[0]?.options.expression).toBe(
      `SEARCH('{${NAMESPACE},department,service} MetricName="InquiriesDeleted" service="retention"', 'Sum', 86400)`,
    );
    const written = emittedMetrics(() =>
      powertoolsMetrics('retention').count('InquiriesDeleted', { department: 'roads' }),
    );
    expect(written).toContainEqual({
      namespace: NAMESPACE,
      name: 'InquiriesDeleted',
      dimensions: { department: 'roads', service: 'retention' },
    });
    for (const row of rows) expect((row.options as { period?: number }).period).toBe(86400);
  });

  it('shows the deadline breaches, token errors and replies not delivered summed over the range, not the last five minutes that had one', () => {
    const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody;
    const [single, ...others] = dashboardWidgets(dashboard).filter(
      (widget) => widget.properties.view === 'singleValue',
    );
    expect(others).toEqual([]);
    expect(single?.properties.setPeriodToTimeRange).toBe(true);
    expect(
      (single?.properties.metrics ?? []).map(
        (metric) => metric.filter((cell) => typeof cell === 'string')[1],
      ),
    ).toEqual(['DeadlineBreaches', 'NumberOfNotificationsFailed', 'VkTokenErrors', 'MessagesUndeliverable']);
  });

  it('charts the first responses of the router, the operator API and the responder, summed', () => {
    // An admin's reply typed in VK is counted by the router, an answer from the console by the operator API,
    // words delivered late from the dead letters by the responder.
    const rows = dashboardRows((title) => title === 'Pipeline flow');
    expectSummedOver(rows, 'first responses in time', 'FirstResponsesInTime', WITH_LATE_DELIVERIES);
    expectSummedOver(rows, 'first responses late', 'FirstResponsesLate', WITH_LATE_DELIVERIES);
  });

  it('charts every inquiry the router opened, rejected ones too, and what was routed, reopened and sent', () => {
    // A classifier that rejects everything must not look like a quiet day: each status the router opens
    // with (lambdas/domain/inquiry/open-inquiry.ts) is a line of its own.
    const rows = dashboardRows((title) => title === 'Pipeline flow');
    const plain = (label: string) => rows.find((row) => row.options.label === label)?.cells;
    expect(plain('inquiries opened')).toEqual([
      NAMESPACE,
      'InquiriesOpened',
      'service',
      'router',
      'status',
      'routed',
    ]);
    expect(plain('messages rejected as no inquiry')).toEqual([
      NAMESPACE,
      'InquiriesOpened',
      'service',
      'router',
      'status',
      'rejected',
    ]);
    // Routed by a citizen's message (router) or an operator's change (operator API); reopened by these too, or
    // by an answer delivered late from the dead letters (responder).
    expectSummedOver(rows, 'inquiries routed', 'InquiriesRouted', ['operator-api', 'router']);
    expectSummedOver(rows, 'inquiries reopened', 'InquiriesReopened', WITH_LATE_DELIVERIES);
    // Rerouted and raised by a citizen's message only.
    expect(plain('inquiries rerouted')).toEqual([NAMESPACE, 'InquiriesRerouted', 'service', 'router']);
    expect(plain('priorities raised')).toEqual([NAMESPACE, 'PrioritiesRaised', 'service', 'router']);
    // Every message VK took, whatever its purpose: the responder counts them by purpose only.
    const sent = summedMetrics(rows, 'replies sent');
    for (const { metricName, dimensions } of sent) {
      expect(metricName).toBe('MessagesDelivered');
      expect(dimensions.service).toBe('responder');
    }
    expect(sent.map(({ dimensions }) => dimensions.purpose).sort()).toEqual([...OUTBOX_PURPOSES].sort());
  });

  it("charts every product counter an alarm reads, as the alarm reads it: the mail's how many and when", () => {
    const watched = alarms()
      .filter((alarm) => alarm.Properties.Namespace === NAMESPACE)
      .map((alarm) => ({
        name: alarm.Properties.MetricName as string,
        dimensions: Object.fromEntries(
          (alarm.Properties.Dimensions as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]),
        ),
      }));
    expect(watched.length).toBeGreaterThan(0);
    const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody;
    const charted = chartedMetrics(dashboard)
      .filter((metric) => metric.namespace === NAMESPACE)
      .map(({ name, dimensions }) => ({ name, dimensions }));
    for (const metric of watched) expect(charted, metric.name).toContainEqual(metric);
  });

  it('charts the deadlines outside the calendar of each community counted by the router, the operator API and the responder, summed', () => {
    // A deadline the router set (a message), an operator's change set (an intermediate answer, a reopening), or
    // a late delivery's reopening set (the responder).
    const rows = dashboardRows((title) => title.startsWith('Without an alarm'));
    const communities = JSON.parse(readFileSync('config/prod.json', 'utf8')).communities as {
      groupId: number;
    }[];
    expect(communities.length).toBeGreaterThan(0);
    for (const { groupId } of communities) {
      const label = `DeadlinesOutsideCalendar ${groupId}`;
      const summed = summedMetrics(rows, label);
      for (const { metricName, dimensions } of summed) {
        expect(metricName).toBe('DeadlinesOutsideCalendar');
        expect(dimensions.community).toBe(String(groupId));
      }
      expect(summed.map(({ dimensions }) => dimensions.service).sort(), label).toEqual(WITH_LATE_DELIVERIES);
    }
  });

  it.each([
    {
      // What ops read in the title for each counter (docs/runbook.md lists the same).
      row: 'Without an alarm',
      named: {
        EscalationErrors: 'inquiries the escalator could not check',
        DeadlinesOutsideCalendar: 'deadlines outside the calendar',
      },
    },
    {
      // Each counted where the router drops a message or change on purpose (duplicate-outcomes.ts,
      // change-without-message.ts, router-context.ts, erased-author.ts), or the escalator a warning
      // (check-inquiry.ts).
      row: 'Dropped and counted',
      named: {
        RepeatedMessagesDropped: 'messages held already',
        ChangesWithoutMessageDropped: 'changes of messages that cannot be dead letters',
        ChangesAfterErasureDropped: "erased citizens' changes",
        MessagesAfterErasureDropped: 'late messages',
        // record-reply.ts, change-without-message.ts: a group chat's talk, or a reply that answers nothing held.
        ChatEditsNotAddressed: "edits of group chats' talk",
        ChatRepliesNotAddressed: "replies in VK to group chats' talk",
        RepliesInVkNotRecorded: 'replies in VK answering nothing we hold',
        DeadlineWarningsDropped: 'deadline warnings never told',
      },
    },
    {
      // Noted on what is out of the work, no clock changed (record-reply.ts); a citizen's edit of answered
      // words, reopened or recorded (stored-change.ts).
      row: 'Noted after the answer or the rejection',
      named: {
        RepliesInVkOnSettledInquiries: 'replies in VK on settled inquiries',
        RepliesInVkOnRejectedMessages: 'on rejected messages',
        EditsAfterAnswer: "citizens' edits of answered words",
      },
    },
  ] as { row: string; named: Record<string, string> }[])(
    'names in the title of the row "$row" every counter it charts',
    ({ row: title, named }) => {
      const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
        .DashboardBody;
      const row = dashboardWidgets(dashboard).find((widget) => widget.properties.title?.startsWith(title));
      // A sum's own line names no metric: the metrics it sums do.
      const counters = new Set(
        (row?.properties.metrics ?? [])
          .map((metric) => metric.filter((cell) => typeof cell === 'string')[1])
          .filter((name) => name !== undefined),
      );
      expect([...counters].sort()).toEqual(Object.keys(named).sort());
      for (const counter of counters) expect(row?.properties.title).toContain(named[String(counter)]);
    },
  );

  it('watches the product counters by dimension sets the functions write', () => {
    // Each counter as its function counts it (lambdas/escalator/, effect-counts.ts in the router, the operator
    // API and the responder, router/new-inquiry.ts, the responder's finish-delivery.ts and send-tries.ts,
    // sweep.ts), written in the embedded metric format: the metrics CloudWatch will have, one per dimension set.
    const written = emittedMetrics(() => {
      const escalator = powertoolsMetrics('escalator');
      escalator.count('DeadlineBreaches', { department: 'roads' });
      escalator.count('DeadlineWarnings', { department: 'roads' });
      escalator.count('CriticalNotices', { department: 'roads' });
      const router = powertoolsMetrics('router');
      // What a change did, as the router and the operator API count it.
      const effects: Effect[] = [
        { type: 'routed', department: 'roads' },
        { type: 'reopened' },
        { type: 'rerouted', from: 'housing', department: 'roads' },
        { type: 'priority_raised', from: 'normal', to: 'high' },
        { type: 'first_response', late: false },
        { type: 'first_response', late: true },
      ];
      const roads = { department: 'roads' } as Inquiry;
      countEffects(router, effects, roads);
      for (const status of ['routed', 'rejected']) router.count('InquiriesOpened', { status });
      for (const dropped of [
        'RepeatedMessagesDropped',
        'ChangesWithoutMessageDropped',
        'ChangesAfterErasureDropped',
        'MessagesAfterErasureDropped',
        'ChatEditsNotAddressed',
        'ChatRepliesNotAddressed',
        'RepliesInVkNotRecorded',
        'RepliesInVkOnSettledInquiries',
        'RepliesInVkOnRejectedMessages',
      ] as const)
        router.count(dropped);
      for (const outcome of ['reopened', 'recorded']) router.count('EditsAfterAnswer', { outcome });
      escalator.count('EscalationErrors', { department: 'roads' });
      escalator.count('DeadlineWarningsDropped');
      escalator.count('EscalatorRunsStoppedForTime');
      escalator.count('InquiriesMovedFromUnconfiguredDepartments');
      router.count('InquiriesMovedFromUnconfiguredDepartments');
      escalator.count('EscalationChecksLeft', { department: 'roads' }, 30);
      escalator.count('CalendarDaysLeft', {}, 31);
      powertoolsMetrics('retention').count('InquiriesDeleted', { department: 'roads' });
      powertoolsMetrics('retention').count('RetentionRunsIncomplete');
      const responder = powertoolsOutboxMetrics('responder');
      const operatorApi = powertoolsMetrics('operator-api');
      // What a late delivery did to its inquiry, as the responder's handler counts it.
      const lateDeliveries = powertoolsMetrics('responder');
      for (const { groupId } of JSON.parse(readFileSync('config/prod.json', 'utf8')).communities) {
        router.count('DeadlinesOutsideCalendar', { community: String(groupId) });
        operatorApi.count('DeadlinesOutsideCalendar', { community: String(groupId) });
        lateDeliveries.count('DeadlinesOutsideCalendar', { community: String(groupId) });
      }
      operatorApi.count('OperatorMessagesNotQueued');
      countEffects(operatorApi, effects, roads);
      countEffects(lateDeliveries, effects, roads);
      for (const purpose of OUTBOX_PURPOSES) responder.count('MessagesDelivered', { purpose });
      responder.count('VkTokenErrors', {});
      responder.count('MessagesUndeliverable', {});
      for (const reason of ['retry', 'busy', 'error']) responder.heldBack(reason, 700);
      responder.heldBack('token');
    });

    const alarmed = alarms()
      .filter((alarm) => alarm.Properties.Namespace === NAMESPACE)
      .map((alarm) => ({
        namespace: NAMESPACE,
        name: alarm.Properties.MetricName as string,
        dimensions: Object.fromEntries(
          (alarm.Properties.Dimensions as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]),
        ),
      }));
    expect(alarmed.map((metric) => metric.name).sort()).toEqual([
      'CalendarDaysLeft',
      'DeadlineBreaches',
      'EscalatorRunsStoppedForTime',
      'MessagesUndeliverable',
      'OperatorMessagesNotQueued',
      'OutboxMessageAge',
      'RetentionRunsIncomplete',
      'VkTokenErrors',
    ]);
    const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody;
    const charted = chartedMetrics(dashboard).filter((metric) => metric.namespace === NAMESPACE);
    expect([...new Set(charted.map((metric) => metric.name))].sort()).toEqual([
      'CalendarDaysLeft',
      'ChangesAfterErasureDropped',
      'ChangesWithoutMessageDropped',
      'ChatEditsNotAddressed',
      'ChatRepliesNotAddressed',
      'CriticalNotices',
      'DeadlineBreaches',
      'DeadlineWarnings',
      'DeadlineWarningsDropped',
      'DeadlinesOutsideCalendar',
      'EditsAfterAnswer',
      'EscalationChecksLeft',
      'EscalationErrors',
      'EscalatorRunsStoppedForTime',
      'FirstResponsesInTime',
      'FirstResponsesLate',
      'InquiriesDeleted',
      'InquiriesOpened',
      'InquiriesReopened',
      'InquiriesRerouted',
      'InquiriesRouted',
      'MessagesAfterErasureDropped',
      'MessagesDeferred',
      'MessagesDelivered',
      'MessagesUndeliverable',
      'OperatorMessagesNotQueued',
      'OutboxMessageAge',
      'PrioritiesRaised',
      'RepeatedMessagesDropped',
      'RepliesInVkNotRecorded',
      'RepliesInVkOnRejectedMessages',
      'RepliesInVkOnSettledInquiries',
      'RetentionRunsIncomplete',
      'VkTokenErrors',
    ]);
    // And those an alarm of metric math reads (InquiriesMovedFromUnconfiguredDepartments, the router's and the
    // escalator's summed).
    const read = alarms()
      .flatMap(
        (alarm) =>
          (alarm.Properties.Metrics ?? []) as {
            MetricStat?: {
              Metric: {
                Namespace: string;
                MetricName: string;
                Dimensions?: { Name: string; Value: string }[];
              };
            };
          }[],
      )
      .flatMap((query) => (query.MetricStat ? [query.MetricStat.Metric] : []))
      .filter((metric) => metric.Namespace === NAMESPACE)
      .map((metric) => ({
        namespace: NAMESPACE,
        name: metric.MetricName,
        dimensions: Object.fromEntries((metric.Dimensions ?? []).map((d) => [d.Name, d.Value])),
      }));
    expect(read.map((metric) => metric.name)).toContain('InquiriesMovedFromUnconfiguredDepartments');
    for (const watched of [...alarmed, ...read, ...charted])
      expect(written, watched.name).toContainEqual({
        namespace: NAMESPACE,
        name: watched.name,
        dimensions: watched.dimensions,
      });
  });
});

/**
 * A line of the callback's access log as API Gateway writes it for an answer of `status`: the stage's own
 * format, each `$context` variable given a value.
 */
function accessLogLine(status: number): Record<string, unknown> {
  const [stage] = Object.values(stateless.findResources('AWS::ApiGateway::Stage'));
  const format = stage?.Properties.AccessLogSetting.Format as string;
  return JSON.parse(
    format.replace(/\$context\.[\w.]+/g, (variable) =>
      variable === '$context.status' ? String(status) : variable === '$context.httpMethod' ? 'POST' : '-',
    ),
  ) as Record<string, unknown>;
}

/** The logical id of the stateless stack's one topic shown as `displayName`. */
function topicShownAs(displayName: string): string {
  const [topic, ...others] = Object.keys(
    stateless.findResources('AWS::SNS::Topic', { Properties: { DisplayName: displayName } }),
  );
  expect(others).toEqual([]);
  return String(topic);
}

/** The metric rows of the stateless stack's dashboard widget whose title `titled` accepts. */
function dashboardRows(titled: (title: string) => boolean) {
  const dashboard = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
    .DashboardBody;
  return (
    dashboardWidgets(dashboard).find((widget) => titled(widget.properties.title ?? ''))?.properties.metrics ??
    []
  ).map((row) => ({
    cells: row.filter((cell): cell is string => typeof cell === 'string'),
    options: (row.find((cell) => typeof cell === 'object') ?? {}) as {
      id?: string;
      label?: string;
      expression?: string;
    },
  }));
}

/**
 * The metrics the row labelled `label` sums, each with its name and dimensions; the row's expression must be
 * exactly their sum, each missing point filled with 0.
 */
function summedMetrics(rows: ReturnType<typeof dashboardRows>, label: string) {
  const sum = rows.find((row) => row.options.label === label)?.options.expression ?? '';
  const summed = [...sum.matchAll(/FILL\((\w+), 0\)/g)].map(([, id]) => id);
  expect(sum, label).toBe(summed.map((id) => `FILL(${id}, 0)`).join(' + '));
  return summed.map((id) => {
    const [, metricName, ...pairs] = rows.find((row) => row.options.id === id)?.cells ?? [];
    const dimensions: Record<string, string | undefined> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1];
    return { metricName, dimensions };
  });
}

/** The services that count what a change did to an inquiry, a late delivery's too: sorted. */
const WITH_LATE_DELIVERIES = ['operator-api', 'responder', 'router'];

/** The row labelled `label` sums `name` as each of `services` (sorted) writes it, and nothing else. */
function expectSummedOver(
  rows: ReturnType<typeof dashboardRows>,
  label: string,
  name: string,
  services: string[],
) {
  const summed = summedMetrics(rows, label);
  for (const { metricName } of summed) expect(metricName, label).toBe(name);
  expect(summed.map(({ dimensions }) => dimensions.service).sort(), label).toEqual(services);
}

/**
 * The metrics that `count` writes, in the environment the stack gives prod's functions: each metric name, in
 * its namespace, with each of its dimension sets and their values.
 */
function emittedMetrics(
  count: () => void,
): { namespace: string; name: string; dimensions: Record<string, string> }[] {
  const given = new Set(
    Object.values(
      stateless.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }),
    ).map((fn) => fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE as string),
  );
  expect([...given]).toHaveLength(1);
  const lines: string[] = [];
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_DEV', '');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', [...given][0]);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    count();
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
  return lines.flatMap((line) => {
    const emf = JSON.parse(line) as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    };
    return emf._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.flatMap((metric) =>
        directive.Dimensions.map((set) => ({
          namespace: directive.Namespace,
          name: metric.Name,
          dimensions: Object.fromEntries(set.map((dimension) => [dimension, String(emf[dimension])])),
        })),
      ),
    );
  });
}

/** The metrics a dashboard's widgets chart: `[namespace, name, dimension, value, …, options?]` each. */
function chartedMetrics(
  body: unknown,
): { namespace: string; name: string; dimensions: Record<string, string> }[] {
  return chartedMetricsOf(dashboardWidgets(body).flatMap((widget) => widget.properties.metrics ?? []));
}

/** The metrics of a widget's rows (an expression's row names none). */
function chartedMetricsOf(
  rows: unknown[][],
): { namespace: string; name: string; dimensions: Record<string, string> }[] {
  return rows
    .map((row) => row.filter((cell): cell is string => typeof cell === 'string'))
    .map(([namespace = '', name = '', ...pairs]) => ({
      namespace,
      name,
      dimensions: Object.fromEntries(
        pairs.flatMap((cell, index) => (index % 2 === 0 ? [[cell, pairs[index + 1] ?? '']] : [])),
      ),
    }));
}

/** The dashboard's widgets, from its body: a Fn::Join of JSON text and tokens (region, resource names). */
function dashboardWidgets(body: unknown): { properties: DashboardWidgetProperties }[] {
  // Tokens stand in as text.
  const text = (part: unknown): string =>
    typeof part === 'string'
      ? part
      : typeof part === 'object' && part !== null && 'Fn::Join' in part
        ? (part['Fn::Join'] as [string, unknown[]])[1].map(text).join((part['Fn::Join'] as [string])[0])
        : 'token';
  return (JSON.parse(text(body)) as { widgets: { properties: DashboardWidgetProperties }[] }).widgets;
}

interface DashboardWidgetProperties {
  title?: string;
  metrics?: unknown[][];
  view?: string;
  /** The widget's own range (`-P14D`), instead of the dashboard's. */
  start?: string;
  setPeriodToTimeRange?: boolean;
}
