import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { openApiDocument } from '../../lambdas/operator-api/openapi.js';
import { API_PREFIX, OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { buildApp } from '../../lib/app.js';
import { QUEUES } from '../../lib/resources.js';
import { unbundledApp } from '../support/cdk-app.js';

let stacks: Stack[];
let stateful: Template;
let stateless: Template;

beforeAll(() => {
  const app = buildApp(unbundledApp({ stage: 'test', config: 'config/local.json' }));
  app.synth();
  stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  stateful = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateful')) as Stack);
  stateless = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);
}, 180_000);

const statements = () =>
  Object.values(stateless.findResources('AWS::IAM::Policy')).flatMap(
    (policy) =>
      policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
  );
const functionNamed = (entry: string) => {
  const [logicalId] = Object.entries(stateless.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(entry),
  ) ?? [''];
  return logicalId;
};

describe('the outbox', () => {
  it('is a KMS-encrypted queue with a dead-letter queue', () => {
    stateful.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: QUEUES.outbox.visibilityTimeoutSeconds,
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: {
        deadLetterTargetArn: Match.anyValue(),
        maxReceiveCount: QUEUES.outbox.maxReceiveCount,
      },
    });
  });

  it('feeds the responder few at a time, reporting partial batch failures', () => {
    const responder = functionNamed('AnsweringResponder');
    expect(responder).not.toBe('');
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: responder },
      BatchSize: QUEUES.outbox.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: QUEUES.outbox.maxConcurrency },
    });
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: QUEUES.outbox.consumerTimeoutSeconds,
      Environment: {
        Variables: Match.objectLike({ OUTBOX_QUEUE_URL: Match.anyValue(), TABLE_NAME: Match.anyValue() }),
      },
    });
  });

  it('alarms on VK token errors', () => {
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'VkTokenErrors',
      Namespace: 'VkInquiries/test',
      Threshold: 1,
    });
  });

  it('alarms on a reply that will never reach the citizen, and shows the count on the dashboard', () => {
    // The series the responder counts with the service alone (lambdas/responder/finish-delivery.ts).
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MessagesUndeliverable',
      Namespace: 'VkInquiries/test',
      Dimensions: [{ Name: 'service', Value: 'responder' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
      // Also counted for words that failed every try: ops replay those from the dead-letter queue.
      AlarmDescription: Match.stringLikeRegexp('refused it for good.*dead-letter queue.*replay'),
    });
    const [dashboard] = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'));
    expect(JSON.stringify(dashboard?.Properties.DashboardBody)).toContain('MessagesUndeliverable');
  });
});

describe('replies held back', () => {
  it('alarm when one given back unsent is ten minutes old, whatever the invocations say, but not for a token', () => {
    // The series the responder writes with the service alone (lambdas/adapters/outbox-metrics.ts).
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OutboxMessageAge',
      Namespace: 'VkInquiries/test',
      Dimensions: [{ Name: 'service', Value: 'responder' }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 600,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      // Longer than the backoff's 30-minute cap: no return to OK between two receives of an unsent message.
      EvaluationPeriods: 35,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('name VK’s limits (flood control, a method’s limit) among the causes, in the alarm and on the dashboard', () => {
    // Error 9 or 29 holds a message ten minutes a receive (lambdas/responder/backoff.ts): alone, it raises the alarm.
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OutboxMessageAge',
      AlarmDescription: Match.stringLikeRegexp('refusing such calls for one of its limits'),
    });
    const [dashboard] = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'));
    expect(JSON.stringify(dashboard?.Properties.DashboardBody)).toContain(
      'VK failed, did not answer or held to a limit',
    );
  });

  it('are charted: the outbox out of sight, the messages given back by reason, the oldest of them', () => {
    const [dashboard] = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    expect(body).toContain('outbox in flight or waiting to be retried');
    expect(body).toContain('ApproximateNumberOfMessagesNotVisible');
    for (const reason of ['retry', 'busy', 'token', 'error'])
      expect(body).toContain(`\\"MessagesDeferred\\",\\"reason\\",\\"${reason}\\"`);
    expect(body).toContain('OutboxMessageAge');
  });
});

describe('the operator API', () => {
  it('needs a token of the operators user pool on every route but the OpenAPI document', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() },
    });
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => `${route.Properties.RouteKey} ${route.Properties.AuthorizationType ?? 'NONE'}`,
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/v1/{proxy+} JWT',
        'POST /api/v1/{proxy+} JWT',
        'PUT /api/v1/{proxy+} JWT',
        'DELETE /api/v1/{proxy+} JWT',
        'GET /api/openapi.json NONE',
      ]),
    );
  });

  it('outputs its base URL, which the document’s paths (/api/v1/…) follow, and the document’s address', () => {
    const [api, ...others] = Object.keys(
      stateless.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }),
    );
    expect(others).toEqual([]);
    const endpoint = { 'Fn::GetAtt': [api, 'ApiEndpoint'] };
    // The bare endpoint: a client that puts the document's paths after it calls them, not /api/v1/api/v1/….
    stateless.hasOutput('OperatorApiUrl', { Value: endpoint });
    stateless.hasOutput('OperatorApiDocumentUrl', {
      Value: { 'Fn::Join': ['', [endpoint, OPENAPI_PATH]] },
    });
    const paths = Object.keys(openApiDocument().paths as object);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.startsWith(`${API_PREFIX}/`))).toEqual([]);
  });

  it('lets the configured consoles of other origins call it: API Gateway answers their preflight, not the authorizer', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        // config/local.json's operatorApi.allowedOrigins, exactly: no wildcard.
        AllowOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
        AllowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
        ExposeHeaders: [
          'retry-after',
          'www-authenticate',
          'apigw-requestid',
          'etag',
          'idempotency-key',
          'allow',
          'content-disposition',
        ],
        AllowCredentials: false,
        MaxAge: 7200,
      },
    });
    // API Gateway answers a preflight itself only while no route takes OPTIONS: $default or an ANY route would
    // hand it, without a token, to the JWT authorizer (401).
    const routeKeys = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey as string,
    );
    expect(routeKeys.length).toBeGreaterThan(0);
    expect(routeKeys.filter((key) => /^(OPTIONS|ANY) |^\$default$/.test(key))).toEqual([]);
  });

  it('trusts the stateful stack’s user pool (MFA, threat protection, a group per department plus admins)', () => {
    // The operators' accounts outlive the functions and endpoints: the stateless stack has no pool of its own.
    stateless.resourceCountIs('AWS::Cognito::UserPool', 0);
    stateless.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    stateless.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
    const [pool] = Object.keys(stateful.findResources('AWS::Cognito::UserPool'));
    const [client] = Object.keys(stateful.findResources('AWS::Cognito::UserPoolClient'));
    const imported = JSON.stringify(
      Object.values(stateless.findResources('AWS::ApiGatewayV2::Authorizer'))[0]?.Properties.JwtConfiguration,
    );
    expect(imported).toMatch(new RegExp(`ExportsOutputRef${pool}`));
    expect(imported).toMatch(new RegExp(`ExportsOutputRef${client}`));
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      UserPoolTier: 'PLUS',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
    const groups = Object.values(stateful.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => group.Properties.GroupName,
    );
    const departments = readConfigFile('config/local.json').departments.map(
      (department) => `dept-${department.id}`,
    );
    expect(groups.sort()).toEqual(['admins', ...departments].sort());
  });

  it('lets the console sign in with SRP only, with no OAuth flow or callback to use through a domain', () => {
    const clients = Object.values(stateful.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const { Properties: client } = clients[0] ?? {};
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(false);
    for (const setting of ['AllowedOAuthFlows', 'AllowedOAuthScopes', 'CallbackURLs', 'LogoutURLs'])
      expect(client[setting], setting).toBeUndefined();
  });

  it('lets no operator rewrite their own name or e-mail with their token: only admins set them', () => {
    const [client] = Object.values(stateful.findResources('AWS::Cognito::UserPoolClient'));
    // Listed, and not empty: Cognito takes none listed (or an empty list) for every standard attribute.
    expect(client?.Properties.WriteAttributes).toEqual(['locale']);
  });

  it('queries only the two indexes it lists by, and sends only to the outbox', () => {
    // The operator API's own role: another function's grants (the escalator scans open work) are not its.
    const fn = stateless.findResources('AWS::Lambda::Function')[functionNamed('OperatorsOperatorApi')];
    if (!fn) throw new Error('no operator API function');
    const [role] = fn.Properties.Role['Fn::GetAtt'];
    const own = Object.values(
      stateless.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    ).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const queries = own.filter((statement) => JSON.stringify(statement.Resource).includes('/index/'));
    const indexes = JSON.stringify(queries.map((statement) => statement.Resource));
    expect(indexes).toMatch(/index\/gsi1/);
    expect(indexes).toMatch(/index\/gsi4/);
    expect(own.some((statement) => [statement.Action].flat().includes('dynamodb:Scan'))).toBe(false);
  });
});

describe('the operator API, watched', () => {
  it("alarms on an operator's change saved whose message to the citizen was not queued: a 503 fails no invocation", () => {
    // The series the handler counts with the service alone (lambdas/operator-api/handler.ts).
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OperatorMessagesNotQueued',
      Namespace: 'VkInquiries/test',
      Dimensions: [{ Name: 'service', Value: 'operator-api' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('throttles every route of its one stage as docs/operator-api.md tells the console, no route lifting it', () => {
    const stages = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const [stage] = stages;
    // A script run by a stolen or careless token is held there, before the function and the table.
    expect(stage?.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
    expect(stage?.Properties.RouteSettings).toBeUndefined();
    expect(readFileSync('docs/operator-api.md', 'utf8')).toContain('50 requests/s with bursts of 100');
  });

  it("logs each request's operator (the token's sub) with its method, path and status, and never its query", () => {
    const [stage] = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'));
    const format = JSON.parse(stage?.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      operator: '$context.authorizer.claims.sub',
      method: '$context.httpMethod',
      path: '$context.path',
      status: '$context.status',
      requestId: '$context.requestId',
    });
    // A citizen's VK id (`author`) or case number may be in the query string: it is in no log.
    expect(JSON.stringify(format)).not.toMatch(/querystring|routeKey|\$request/i);
  });

  it('alarms on any 5xx answer of its HTTP API', () => {
    const [api] = Object.keys(stateless.findResources('AWS::ApiGatewayV2::Api'));
    expect(api).toBeDefined();
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: api } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
  });
});

describe('least privilege and cdk-nag', () => {
  it('grants no wildcard action, and no table or queue action on a wildcard resource', () => {
    for (const statement of statements()) {
      const actions = [statement.Action].flat();
      expect(actions.some((action) => action.endsWith('*'))).toBe(false);
      if (actions.some((action) => /^(dynamodb|sqs):/.test(action)))
        expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|\/\*"/);
    }
  });

  it('leaves no AwsSolutions finding unacknowledged', () => {
    for (const stack of stacks) {
      const findings = [
        ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
        ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ];
      expect(findings.map((finding) => finding.entry.data)).toEqual([]);
    }
  });
});
