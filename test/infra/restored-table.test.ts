import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import { unbundledApp } from '../support/cdk-app.js';
import { temporaryFile } from '../support/temp-dir.js';

const RESTORED = 'VkInquiries-test-restored-20270301';

/** The local configuration, naming a table restored from point-in-time recovery (or `name`, when given). */
function configWithTable(name = RESTORED): string {
  const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
  config.inquiryTable = name;
  return temporaryFile('vk-config-', 'restored.json', JSON.stringify(config));
}

function synth(config: string) {
  const app = buildApp(unbundledApp({ stage: 'test', config }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  const of = (suffix: string) => stacks.find((stack) => stack.stackName.endsWith(suffix)) as Stack;
  return {
    stacks,
    stateful: Template.fromStack(of('Stateful')),
    stateless: Template.fromStack(of('Stateless')),
  };
}

/** The names a template imports from other stacks (Fn::ImportValue), wherever they appear. */
function importedNames(template: Template): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null)
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Fn::ImportValue' && typeof inner === 'string') names.add(inner);
        else visit(inner);
      }
  };
  visit(template.toJSON());
  return names;
}

let before: ReturnType<typeof synth>;
let after: ReturnType<typeof synth>;

/** The stage as deployed so far, and the same stage with `inquiryTable` naming the restored table. */
beforeAll(() => {
  before = synth('config/local.json');
  after = synth(configWithTable());
}, 240_000);

describe('a table restored from point-in-time recovery, named by the configuration', () => {
  it('is the one every function reads and writes, its name in each one’s environment', () => {
    const functions = Object.values(
      after.stateless.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) } },
      }),
    );
    // The classifier, the router, the escalator, the responder, the operator API and the retention sweep.
    expect(functions).toHaveLength(6);
    for (const fn of functions) expect(fn.Properties.Environment.Variables.TABLE_NAME).toBe(RESTORED);
    after.stateless.hasOutput('InquiryTableName', { Value: RESTORED });
  });

  it('is what every table grant names, with the indexes the functions query, and the Stateful table is named by none', () => {
    const statements = Object.values(after.stateless.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const onTable = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
    );
    expect(onTable.length).toBeGreaterThan(0);
    for (const statement of onTable)
      for (const resource of [statement.Resource].flat()) {
        const text = JSON.stringify(resource);
        expect(text).toMatch(new RegExp(`:table/${RESTORED}(/index/gsi\\d)?"`));
      }
    const queried = onTable.flatMap((statement) =>
      [statement.Resource].flat().map((resource) => /\/index\/(gsi\d)/.exec(JSON.stringify(resource))?.[1]),
    );
    const { byDepartmentDeadline, byEscalationDue, byDepartmentOpened } = INQUIRY_TABLE.indexes;
    for (const index of [byDepartmentDeadline, byEscalationDue, byDepartmentOpened])
      expect(queried).toContain(index.name);
    const stateful = Object.keys(after.stateful.findResources('AWS::DynamoDB::GlobalTable'));
    expect(stateful).toHaveLength(1);
    expect(JSON.stringify(after.stateless.toJSON())).not.toContain(stateful[0]);
  });

  it('is the only table every function may use the data key for through DynamoDB', () => {
    const viaTable = Object.values(after.stateless.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Condition?: unknown }[])
      .map((statement) => (statement.Condition as { StringEquals?: Record<string, unknown> })?.StringEquals)
      .filter((condition) => String(condition?.['kms:ViaService']).startsWith('dynamodb.'));
    expect(viaTable).toHaveLength(6);
    for (const condition of viaTable)
      expect(condition?.['kms:EncryptionContext:aws:dynamodb:tableName']).toBe(RESTORED);
  });

  it('leaves the Stateful stack its own table and every export the deployed Stateless stack still imports', () => {
    // CloudFormation updates the Stateful stack first: an export removed while the deployed Stateless stack
    // imports it fails that update.
    const [table] = Object.keys(after.stateful.findResources('AWS::DynamoDB::GlobalTable'));
    after.stateful.hasOutput('InquiryTableName', { Value: { Ref: table } });
    const exported = new Set(
      Object.values(after.stateful.toJSON().Outputs as Record<string, { Export?: { Name: string } }>).flatMap(
        (output) => (output.Export ? [output.Export.Name] : []),
      ),
    );
    const imported = importedNames(before.stateless);
    expect(imported.size).toBeGreaterThan(0);
    for (const name of imported) expect(exported, name).toContain(name);
  });

  it('passes cdk-nag', () => {
    for (const stack of after.stacks) {
      const findings = [
        ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
        ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ];
      expect(findings.map((finding) => `${finding.id}: ${String(finding.entry.data)}`)).toEqual([]);
    }
  });

  it('must be a DynamoDB table name', () => {
    expect(() => buildApp(unbundledApp({ stage: 'test', config: configWithTable('a b') }))).toThrow(
      /inquiryTable: a DynamoDB table name/,
    );
  });
});
