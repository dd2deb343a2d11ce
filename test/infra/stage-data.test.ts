import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, INGEST_RESERVED_CONCURRENCY } from '../../lib/app.js';
import { unbundledApp } from '../support/cdk-app.js';
import { temporaryFile } from '../support/temp-dir.js';

/**
 * Whether a stage keeps its data is its configuration's word (`disposable`), never its name: a production
 * stage named `ekb` (a region's own) keeps it as `prod` does. Synthesized without bundling the functions' code.
 */
type Stage = { stateful: Template; stateless: Template; warnings: string[] };

function synth(stage: string, config: Record<string, unknown>, context: Record<string, unknown> = {}): Stage {
  const file = temporaryFile('vk-config-', `${stage}.json`, JSON.stringify(config));
  const app = buildApp(unbundledApp({ stage, config: file, ...context }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  const stack = (suffix: string) => stacks.find((one) => one.stackName.endsWith(suffix)) as Stack;
  const of = (suffix: string) => Template.fromStack(stack(suffix));
  const warnings = Annotations.fromStack(stack('Stateless'))
    .findWarning('*', Match.anyValue())
    .map((found) => String(found.entry.data));
  return { stateful: of('Stateful'), stateless: of('Stateless'), warnings };
}

/** config/prod.json as shipped, and the same declared disposable. */
const prodConfig = () => JSON.parse(readFileSync('config/prod.json', 'utf8')) as Record<string, unknown>;

let kept: Stage;
let disposable: Stage;
let disposableReserving: Stage;

beforeAll(() => {
  kept = synth('ekb', prodConfig());
  disposable = synth('ekb', { ...prodConfig(), disposable: true });
  disposableReserving = synth(
    'ekb',
    { ...prodConfig(), disposable: true },
    { ingestReservedConcurrency: '20' },
  );
}, 240_000);

/** DeletionPolicy of every resource of `type` in the template. */
const deletionPolicies = (template: Template, type: string) =>
  Object.values(template.findResources(type)).map(
    (resource) => resource.DeletionPolicy as string | undefined,
  );

const ingestFunctions = (template: Template) =>
  Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ EVENTS_QUEUE_URL: Match.anyValue() }) } },
    }),
  );

describe('a stage whose configuration does not declare it disposable, whatever its name', () => {
  it('retains the table with deletion protection', () => {
    kept.stateful.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
  });

  it('retains every KMS key and every queue, dead-letter queues too', () => {
    const keys = [
      ...deletionPolicies(kept.stateful, 'AWS::KMS::Key'),
      ...deletionPolicies(kept.stateless, 'AWS::KMS::Key'),
    ];
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys)).toEqual(new Set(['Retain']));
    const queues = deletionPolicies(kept.stateful, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(2);
    expect(new Set(queues)).toEqual(new Set(['Retain']));
  });

  it('retains the operators’ user pool, deletion-protected', () => {
    kept.stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('keeps every log group a year', () => {
    const groups = Object.values(kept.stateless.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(365);
  });

  it('reserves concurrency for ingest', () => {
    const [ingest, ...others] = ingestFunctions(kept.stateless);
    expect(others).toEqual([]);
    expect(ingest?.Properties.ReservedConcurrentExecutions).toBe(INGEST_RESERVED_CONCURRENCY);
  });
});

describe('a stage whose configuration declares it disposable', () => {
  it('deletes the table, the keys, the queues and the user pool with the stacks, none protected', () => {
    disposable.stateful.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
    disposable.stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
    for (const [template, type] of [
      [disposable.stateful, 'AWS::KMS::Key'],
      [disposable.stateless, 'AWS::KMS::Key'],
      [disposable.stateful, 'AWS::SQS::Queue'],
    ] as const)
      expect(new Set(deletionPolicies(template, type)), type).toEqual(new Set(['Delete']));
  });

  it('keeps its logs a month and reserves no concurrency for ingest, unless told a number', () => {
    for (const group of Object.values(disposable.stateless.findResources('AWS::Logs::LogGroup')))
      expect(group.Properties.RetentionInDays).toBe(30);
    expect(ingestFunctions(disposable.stateless)[0]?.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(ingestFunctions(disposableReserving.stateless)[0]?.Properties.ReservedConcurrentExecutions).toBe(
      20,
    );
  });
});

describe("the deadline e-mails' sender and links", () => {
  it('name the sender in Russian, and a disposable stage as a test', () => {
    kept.stateless.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Сроки обращений граждан' });
    disposable.stateless.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Сроки обращений граждан (тест: ekb)',
    });
  });

  it('warn at synth of a stage that keeps data with no console address, as shipped, and of no disposable one', () => {
    expect(kept.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^operatorConsoleUrl is not set: the deadline e-mails/u),
      ]),
    );
    expect(disposable.warnings.filter((warning) => warning.includes('operatorConsoleUrl'))).toEqual([]);
  });
});
