import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { QUEUES } from '../../lib/resources.js';
import { unbundledApp } from '../support/cdk-app.js';
import { temporaryFile } from '../support/temp-dir.js';

let stacks: Stack[];
let stateless: Template;

/**
 * `npx cdk deploy --all -c stage=prod -c ingestReservedConcurrency=0` (the CLI passes context as text) from a
 * profile that names no region, for which the CDK CLI sets CDK_DEFAULT_REGION to us-east-1.
 */
beforeAll(() => {
  vi.stubEnv('CDK_DEFAULT_REGION', 'us-east-1');
  try {
    const app = buildApp(unbundledApp({ stage: 'prod', ingestReservedConcurrency: '0' }));
    app.synth();
    stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  } finally {
    vi.unstubAllEnvs();
  }
  stateless = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);
}, 180_000);

/** The local configuration with another region, or none. */
function configWithRegion(region: string | undefined): string {
  const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
  config.region = region;
  return temporaryFile('vk-config-', 'region.json', JSON.stringify(config));
}

describe('deploy settings', () => {
  it('reserves no concurrency for ingest when told 0, rather than a reservation of 0 that refuses every call', () => {
    const ingest = Object.values(
      stateless.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: Match.objectLike({ EVENTS_QUEUE_URL: Match.anyValue() }) } },
      }),
    );
    expect(ingest).toHaveLength(1);
    expect(ingest[0]?.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('deploys to the region the stage’s configuration names, whatever region the CDK CLI defaults to', () => {
    const configured = JSON.parse(readFileSync('config/prod.json', 'utf8')).region;
    expect(configured).toBe('eu-central-1');
    for (const stack of stacks) expect(stack.region, stack.stackName).toBe(configured);
  });

  it('stops the synth, naming the way out, when neither the configuration nor -c region names a region', () => {
    const file = configWithRegion(undefined);
    vi.stubEnv('CDK_DEFAULT_REGION', 'us-east-1');
    try {
      expect(() => buildApp(unbundledApp({ stage: 'dev', config: file }))).toThrow(
        `No AWS region for stage "dev": set "region" in ${file} (e.g. "eu-central-1") or pass -c region=<region>.`,
      );
      expect(() => buildApp(unbundledApp({ stage: 'dev', config: file, region: 'Frankfurt' }))).toThrow(
        'context region must be an AWS region such as eu-central-1, not "Frankfurt"',
      );
      const misnamed = configWithRegion('Frankfurt');
      expect(() => buildApp(unbundledApp({ stage: 'dev', config: misnamed }))).toThrow(
        /region: an AWS region such as eu-central-1/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('names the alarm topic in an output and subscribes the configured on-call addresses to it', () => {
    const [topic, ...others] = Object.keys(
      stateless.findResources('AWS::SNS::Topic', {
        Properties: { DisplayName: 'VK inquiries alarms (prod)' },
      }),
    );
    expect(others).toEqual([]);
    stateless.hasOutput('AlarmTopicArn', { Value: { Ref: topic } });
    const { notify } = JSON.parse(readFileSync('config/prod.json', 'utf8')).alarms;
    expect(notify).toEqual(['oncall@example.org']);
    const subscribed = Object.values(
      stateless.findResources('AWS::SNS::Subscription', { Properties: { TopicArn: { Ref: topic } } }),
    ).map((subscription) => [subscription.Properties.Protocol, subscription.Properties.Endpoint]);
    expect(subscribed).toEqual([['email', 'oncall@example.org']]);
  });

  it('names the inquiries table in an output, for the ops tools that read it', () => {
    const stateful = Template.fromStack(
      stacks.find((stack) => stack.stackName.endsWith('Stateful')) as Stack,
    );
    const [table, ...others] = Object.keys(stateful.findResources('AWS::DynamoDB::GlobalTable'));
    expect(others).toEqual([]);
    stateful.hasOutput('InquiryTableName', { Value: { Ref: table } });
  });

  it('names each queue and its dead-letter queue in an output, for replaying its dead letters', () => {
    const stateful = Template.fromStack(
      stacks.find((stack) => stack.stackName.endsWith('Stateful')) as Stack,
    );
    const queues = stateful.findResources('AWS::SQS::Queue');
    for (const name of Object.keys(QUEUES)) {
      const output = name.charAt(0).toUpperCase() + name.slice(1);
      const [queue, ...others] = Object.keys(queues).filter(
        (id) => id.startsWith(output) && queues[id]?.Properties.RedrivePolicy,
      );
      expect(others, name).toEqual([]);
      const [deadLetters] = queues[queue as string]?.Properties.RedrivePolicy.deadLetterTargetArn[
        'Fn::GetAtt'
      ] ?? [undefined];
      stateful.hasOutput(`${output}QueueUrl`, { Value: { Ref: queue } });
      stateful.hasOutput(`${output}DeadLetterQueueUrl`, { Value: { Ref: deadLetters } });
    }
  });

  it('names the departments’ deadline topic in an output, to list its subscriptions waiting for confirmation', () => {
    const [topic, ...others] = Object.keys(
      stateless.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'Сроки обращений граждан' } }),
    );
    expect(others).toEqual([]);
    stateless.hasOutput('EscalationTopicArn', { Value: { Ref: topic } });
    stateless.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: topic },
      Protocol: 'email',
      Endpoint: 'roads@example.org',
    });
  });

  it('names the scheduled functions, their log groups and their schedules in outputs, for the on-call', () => {
    // DescribeStackResources lists only a stack's first 100 resources: prod's Stateless stack has more, and
    // what the on-call looks for must not hang on where it sorts.
    expect(Object.keys(stateless.toJSON().Resources).length).toBeGreaterThan(100);
    const functions = stateless.findResources('AWS::Lambda::Function');
    for (const name of ['Escalator', 'Retention']) {
      const [fn, ...others] = Object.keys(functions).filter((id) => id.startsWith(`${name}Function`));
      expect(others, name).toEqual([]);
      stateless.hasOutput(`${name}FunctionName`, { Value: { Ref: fn } });
      const logGroup = functions[fn as string]?.Properties.LoggingConfig.LogGroup.Ref;
      expect(stateless.findResources('AWS::Logs::LogGroup')[logGroup], name).toBeDefined();
      stateless.hasOutput(`${name}LogGroupName`, { Value: { Ref: logGroup } });
      const [schedule, ...more] = Object.keys(
        stateless.findResources('AWS::Scheduler::Schedule', {
          Properties: { Target: { Arn: { 'Fn::GetAtt': [fn, 'Arn'] } } },
        }),
      );
      expect(more, name).toEqual([]);
      stateless.hasOutput(`${name}ScheduleName`, { Value: { Ref: schedule } });
    }
  });

  it('has every output the documents read with url() (the stack outputs helper)', () => {
    const outputs = new Set(
      stacks.flatMap((stack) => Object.keys(Template.fromStack(stack).toJSON().Outputs ?? {})),
    );
    const documents = ['README.md', ...readdirSync('docs').map((name) => join('docs', name))];
    const read = documents.flatMap((document) =>
      [...readFileSync(document, 'utf8').matchAll(/\$\(url ([A-Za-z]+)\)/g)].map(([, output]) => ({
        document,
        output,
      })),
    );
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter(({ output }) => !outputs.has(output as string))).toEqual([]);
  });
});
