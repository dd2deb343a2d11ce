import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_STAGE_LENGTH } from '../../lambdas/domain/vk-api/server-title.js';
import { buildApp } from '../../lib/app.js';
import { unbundledApp } from '../support/cdk-app.js';

/**
 * Two stages may share an account and region (docs/deploying.md): dev beside prod, or a second production
 * stage beside the first (`-c stage=prod2 -c config=config/prod.json`). Whatever a stage names itself must be
 * its own, else the second deploy fails on a name taken, or one stage's alarm watches the other's metric.
 * Synthesized without bundling the functions' code.
 */
type Template = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Export?: { Name: unknown } }>;
};
type Stage = { stacks: string[]; templates: Template[]; warnings: string[] };

function synth(stage: string, config?: string): Stage {
  const app = buildApp(unbundledApp({ stage, ...(config && { config }) }));
  const assembly = app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  return {
    stacks: stacks.map((stack) => stack.stackName),
    templates: stacks.map((stack) => assembly.getStackByName(stack.stackName).template as Template),
    warnings: stacks.flatMap((stack) =>
      Annotations.fromStack(stack)
        .findWarning('*', Match.anyValue())
        .map((found) => String(found.entry.data)),
    ),
  };
}

/**
 * A name as CloudFormation will make it, or undefined when it holds a resource's own id (a Ref or GetAtt of
 * the stack's, an import), which no other stack can have. The account and region are the same for both.
 */
function literal(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (ref === 'AWS::AccountId' || ref === 'AWS::Region' || ref === 'AWS::Partition') return `<${ref}>`;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) {
    const parts = join[1].map(literal);
    return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

const at = (properties: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], properties);

/**
 * The properties that name a resource for the account and region (unique there, or what metrics and the
 * console know it by), by resource type.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */
const NAMES: Record<string, string[]> = {
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::DynamoDB::GlobalTable': ['TableName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::WAFv2::WebACL': ['Name', 'VisibilityConfig.MetricName'],
  'AWS::Cognito::UserPool': ['UserPoolName'],
  'AWS::Cognito::UserPoolDomain': ['Domain'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::SSM::Parameter': ['Name'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::Scheduler::Schedule': ['Name'],
  'AWS::Scheduler::ScheduleGroup': ['Name'],
  'AWS::Events::Rule': ['Name'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::ApiGateway::RestApi': ['Name'],
  'AWS::XRay::SamplingRule': ['SamplingRule.RuleName'],
  'AWS::XRay::Group': ['GroupName'],
  'AWS::SES::ConfigurationSet': ['Name'],
  'AWS::SES::EmailIdentity': ['EmailIdentity'],
};

/** The account-wide names a stage fixes, each as `<type> <property>: <name>`. */
function physicalNames(stage: Stage): string[] {
  const names = stage.stacks.map((stack) => `stack: ${stack}`);
  for (const template of stage.templates) {
    for (const { Type, Properties } of Object.values(template.Resources)) {
      for (const path of NAMES[Type] ?? []) {
        const name = literal(at(Properties, path));
        if (name !== undefined) names.push(`${Type} ${path}: ${name}`);
      }
      // A metric a log filter writes is known by its namespace and name only.
      if (Type === 'AWS::Logs::MetricFilter')
        for (const metric of (Properties?.MetricTransformations ?? []) as Record<string, unknown>[])
          names.push(`metric: ${metric.MetricNamespace}/${metric.MetricName}`);
    }
    for (const output of Object.values(template.Outputs ?? {}))
      if (output.Export) names.push(`export: ${literal(output.Export.Name)}`);
  }
  return names;
}

/**
 * Every metric the stage's alarms read, as `<namespace>/<name> <dimensions>`, when all of it is fixed in the
 * template; a metric with a dimension of the stack's own resource (a queue's, a function's) is the stage's.
 */
function alarmedMetrics(stage: Stage): string[] {
  type Metric = { Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value: unknown }[] };
  const read: string[] = [];
  for (const template of stage.templates)
    for (const { Type, Properties } of Object.values(template.Resources)) {
      if (Type !== 'AWS::CloudWatch::Alarm') continue;
      const metrics = [
        Properties as Metric,
        ...((Properties?.Metrics ?? []) as { MetricStat?: { Metric: Metric } }[]).flatMap((query) =>
          query.MetricStat ? [query.MetricStat.Metric] : [],
        ),
      ].filter((metric) => metric.Namespace !== undefined);
      for (const { Namespace, MetricName, Dimensions = [] } of metrics) {
        const dimensions = Dimensions.map(({ Name, Value }) => [Name, literal(Value)]);
        if (dimensions.every(([, value]) => value !== undefined))
          read.push(`${Namespace}/${MetricName} ${dimensions.map((pair) => pair.join('=')).join(',')}`);
      }
    }
  return read;
}

/** The resources of which an account and region have one, whichever stage made it (docs/runbook.md). */
const accountSettings = (stage: Stage) =>
  stage.templates.flatMap((template) =>
    Object.values(template.Resources)
      .map((resource) => resource.Type)
      .filter((type) => type === 'AWS::ApiGateway::Account'),
  );

let dev: Stage;
let prod: Stage;
let prod2: Stage;
beforeAll(() => {
  dev = synth('dev');
  prod = synth('prod');
  prod2 = synth('prod2', 'config/prod.json');
}, 180_000);

const shared = (one: string[], other: string[]) => one.filter((name) => other.includes(name));

describe('two stages in one account and region', () => {
  it('name nothing alike, from their stacks and exports to their tables, web ACLs and dashboards', () => {
    for (const stage of [dev, prod, prod2]) expect(physicalNames(stage).length).toBeGreaterThanOrEqual(10);
    expect(shared(physicalNames(dev), physicalNames(prod))).toEqual([]);
    expect(shared(physicalNames(prod), physicalNames(prod2))).toEqual([]);
  });

  it("alarm on no metric of the other's", () => {
    for (const stage of [dev, prod, prod2]) expect(alarmedMetrics(stage).length).toBeGreaterThanOrEqual(10);
    expect(shared(alarmedMetrics(dev), alarmedMetrics(prod))).toEqual([]);
    expect(shared(alarmedMetrics(prod), alarmedMetrics(prod2))).toEqual([]);
  });

  it("share only API Gateway's logging role of the account, which docs/runbook.md tells of", () => {
    for (const stage of [dev, prod, prod2])
      expect(accountSettings(stage)).toEqual(['AWS::ApiGateway::Account']);
  });

  it("are warned of a configuration naming another stage's parameters, which both would read", () => {
    const ofAnotherStage = (stage: Stage) =>
      stage.warnings.filter((warning) => warning.includes('a parameter of stage'));
    expect(ofAnotherStage(dev)).toEqual([]);
    expect(ofAnotherStage(prod)).toEqual([]);
    expect(ofAnotherStage(prod2)).toHaveLength(4);
    expect(ofAnotherStage(prod2)[0]).toMatch(
      /^communities\[0\]\.callbackSecret \(community 123456789\) is "\/vk-inquiries\/prod\/communities\/123456789\/callback-secret", a parameter of stage prod, not of prod2: /,
    );
  });
});

describe("a stage's name", () => {
  const tooLong = (stage: Stage) =>
    stage.warnings.filter((warning) => warning.includes("VK's callback server title"));

  it('is warned of at synth when longer than the server title VK keeps leaves it, which vk:connect refuses', () => {
    const named = synth('yekaterinb', 'config/prod.json');
    expect(tooLong(named)).toHaveLength(1);
    expect(tooLong(named)[0]).toContain(
      `stage "yekaterinb" is longer than the ${MAX_STAGE_LENGTH} characters VK's callback server title leaves it: vk:connect cannot connect a community to this stage. Choose a shorter name before the first deploy (docs/deploying.md)`,
    );
    expect(
      synth('ekaterin', 'config/prod.json').warnings.filter((warning) => warning.includes('server title')),
    ).toEqual([]);
    for (const stage of [dev, prod, prod2]) expect(tooLong(stage)).toEqual([]);
  }, 60_000);
});
