import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { HouseFunction, SECRETS_EXTENSION } from '../../lib/constructs/house-function.js';
import { unbundledApp } from '../support/cdk-app.js';

let stateless: Template;

beforeAll(() => {
  const app = buildApp(unbundledApp({ stage: 'test', config: 'config/local.json', region: 'eu-central-1' }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  stateless = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);
}, 120_000);

const functionNamed = (service: string) => {
  const found = Object.values(
    stateless.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) } },
    }),
  );
  expect(found, service).toHaveLength(1);
  return found[0]?.Properties as { Layers?: unknown[]; Environment: { Variables: Record<string, unknown> } };
};

describe('the Parameters and Secrets extension', () => {
  const arm64Layer = RegionInfo.get('eu-central-1').paramsAndSecretsLambdaLayerArn(
    SECRETS_EXTENSION.version,
    'arm64',
  );

  it('is a layer of ingest and the responder, the arm64 build of its region, with our settings', () => {
    expect(arm64Layer).toMatch(
      /^arn:aws:lambda:eu-central-1:\d+:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
    );
    for (const service of ['ingest', 'responder']) {
      const fn = functionNamed(service);
      expect(fn.Layers, service).toEqual([arm64Layer]);
      expect(fn.Environment.Variables, service).toMatchObject({
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773',
        PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
        PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE: String(SECRETS_EXTENSION.cacheSize),
        PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: 'warn',
        SSM_PARAMETER_STORE_TTL: '300',
        SSM_PARAMETER_STORE_TIMEOUT_MILLIS: String(SECRETS_EXTENSION.parameterStoreTimeoutMs),
      });
    }
  });

  it('is not given to functions that read no secrets', () => {
    for (const service of ['classifier', 'router', 'escalator']) {
      const fn = functionNamed(service);
      expect(fn.Layers, service).toBeUndefined();
      expect(fn.Environment.Variables.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, service).toBeUndefined();
    }
  });

  it('is found by region in an environment-agnostic stack', () => {
    const stack = new Stack(unbundledApp(), 'Agnostic');
    new HouseFunction(stack, 'Ingest', {
      entry: 'lambdas/ingest/handler.ts',
      configFile: 'config/local.json',
      timeout: Duration.seconds(5),
      logRetention: RetentionDays.ONE_DAY,
      metricsNamespace: 'VkInquiries/test',
      readsSecrets: true,
    });
    const template = Template.fromStack(stack);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties as {
      Layers: unknown[];
    };
    expect(JSON.stringify(fn.Layers)).toContain('Fn::FindInMap');
    expect(JSON.stringify(template.toJSON().Mappings)).toContain(arm64Layer);
  }, 60_000);
});
