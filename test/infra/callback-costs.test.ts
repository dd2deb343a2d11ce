import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { unbundledApp } from '../support/cdk-app.js';

/**
 * What the callback stage pays for beyond its requests: X-Ray's traces and API Gateway's metrics. dev and
 * prod, which may share an account and region, each synthesized with its shipped configuration.
 */
const stateless = (stage: string): Template => {
  const app = buildApp(unbundledApp({ stage }));
  app.synth();
  const stack = app.node.children.find(
    (child): child is Stack => 'templateOptions' in child && (child as Stack).stackName.endsWith('Stateless'),
  );
  return Template.fromStack(stack as Stack);
};

const templates: Record<string, Template> = {};
beforeAll(() => {
  for (const stage of ['dev', 'prod']) templates[stage] = stateless(stage);
}, 120_000);

/** The template's one resource of the type, with its logical id. */
const only = (template: Template, type: string) => {
  const found = Object.entries(template.findResources(type));
  expect(found, type).toHaveLength(1);
  const [[id, resource]] = found as [[string, { Properties: Record<string, unknown> }]];
  return { id, properties: resource.Properties };
};

describe("the callback stage's traces", () => {
  it.each(['dev', 'prod'])(
    '%s: samples 5 % of the stage’s requests, with no reservoir, by a rule matching that stage alone',
    (stage) => {
      const template = templates[stage] as Template;
      const api = only(template, 'AWS::ApiGateway::RestApi');
      const apiStage = only(template, 'AWS::ApiGateway::Stage');
      expect(apiStage.properties.TracingEnabled).toBe(true);
      const rule = only(template, 'AWS::XRay::SamplingRule').properties.SamplingRule as Record<
        string,
        unknown
      >;
      expect(rule).toMatchObject({
        RuleName: `vk-callback-${stage}`,
        ReservoirSize: 0,
        FixedRate: 0.05,
        ServiceName: `${api.properties.Name}/${stage}`,
        ServiceType: 'AWS::ApiGateway::Stage',
        Host: '*',
        HTTPMethod: '*',
        URLPath: '*',
        Version: 1,
      });
      // The stage's own ARN: its API's id and the stage's name.
      expect(rule.ResourceARN).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':apigateway:eu-central-1::/restapis/',
            { Ref: api.id },
            '/stages/',
            { Ref: apiStage.id },
          ],
        ],
      });
      expect(rule.Priority).toBeLessThan(10000);
    },
  );

  it("gives each stage's rule a name of its own, as X-Ray names rules by account and region", () => {
    const names = Object.values(templates).map(
      (template) =>
        (only(template, 'AWS::XRay::SamplingRule').properties.SamplingRule as { RuleName: string }).RuleName,
    );
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(32);
  });
});

describe("the callback stage's metrics", () => {
  it.each(['dev', 'prod'])(
    '%s: writes no detailed metrics (by method and resource), which are billed and which nothing reads',
    (stage) => {
      const template = templates[stage] as Template;
      // Said, not left to the default: a deploy turns off what an earlier one turned on.
      const settings = only(template, 'AWS::ApiGateway::Stage').properties.MethodSettings;
      expect(settings).toEqual([
        expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', MetricsEnabled: false }),
      ]);
      // The alarms (a dimension's name) and the dashboard (a name in a metric's list, in the body's escaped
      // JSON) read API Gateway's metrics by the API's name: never by method or resource, the dimensions only
      // detailed metrics have.
      const resources = JSON.stringify(template.toJSON().Resources);
      expect(resources).not.toMatch(/"Name":"(Method|Resource)"/);
      expect(resources).not.toMatch(/\\"(Method|Resource)\\",/);
    },
  );
});
