import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { OPERATOR_API_TIMEOUT_SECONDS } from '../../lambdas/operator-api/api.js';
import { OPERATOR_API_CORS } from '../../lambdas/operator-api/cors.js';
import { API_PREFIX, OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { INQUIRY_TABLE } from '../resources.js';
import { grantSend, grantTableEncryption } from './data-key.js';
import { type FunctionSettings, HouseFunction } from './house-function.js';
import type { GraphSpec } from './pipeline-dashboard.js';
import type { ProductAlarms } from './product-alarms.js';
import { productMetric } from './product-metric.js';

export interface OperatorApiProps {
  stage: string;
  config: AppConfig;
  /**
   * What the function is given as every function of the stage (house-function.ts): its metrics namespace is
   * where it counts, its logs' retention the access logs' too.
   */
  functions: FunctionSettings;
  /** The operators' accounts and the console's client (the stateful stack's OperatorAccounts). */
  userPool: IUserPool;
  userPoolClient: IUserPoolClient;
  table: ITableV2;
  key: IKey;
  /**
   * Where the operators' words to citizens go: the answers queue, which the responder takes out beside the
   * outbox, so that an answer does not wait behind the router's acknowledgements.
   */
  answers: IQueue;
}

/**
 * The operator API: one function behind an HTTP API whose routes (but the OpenAPI document) need an ID token
 * of the operators' Cognito user pool, checked by API Gateway's JWT authorizer. The pool (operator-accounts.ts)
 * has a group per department and one for admins; the function reads them from the token's `cognito:groups`.
 */
export class OperatorApi extends Construct {
  readonly function: IFunction;
  readonly api: HttpApi;
  /** The base URL: the routes' paths (/api/v1/…, /api/openapi.json) follow it. */
  readonly url: string;
  readonly alarms: ProductAlarms;
  readonly graph: GraphSpec;

  constructor(scope: Construct, id: string, props: OperatorApiProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const fn = new HouseFunction(this, 'OperatorApi', {
      ...props.functions,
      entry: 'lambdas/operator-api/handler.ts',
      timeout: Duration.seconds(OPERATOR_API_TIMEOUT_SECONDS),
      environment: { TABLE_NAME: props.table.tableName, ANSWERS_QUEUE_URL: props.answers.queueUrl },
    }).function;
    this.function = fn;
    const { byDepartmentDeadline, byDepartmentOpened } = INQUIRY_TABLE.indexes;
    // Inquiries by key (and one inquiry's items by Query); lists through two indexes, never a scan. BatchGetItem:
    // the repository reads items asked for in the same turn together (dynamo-batch-get.ts). UpdateItem:
    // the case counter a rejected message moved into work draws its number from (an atomic ADD). DeleteItem:
    // the history entries of a change refused on its version, each on the condition that it wrote them last;
    // and an answer template. Query, GetItem, PutItem: a department's answer templates too.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:Query',
        ],
        resources: [props.table.tableArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [byDepartmentDeadline, byDepartmentOpened].map(
          (index) => `${props.table.tableArn}/index/${index.name}`,
        ),
      }),
    );
    grantSend(fn, props.answers, props.key);
    grantTableEncryption(fn, props.key, props.table);

    const authorizer = new HttpJwtAuthorizer(
      'OperatorAuthorizer',
      `https://cognito-idp.${stack.region}.amazonaws.com/${props.userPool.userPoolId}`,
      { jwtAudience: [props.userPoolClient.userPoolClientId] },
    );
    const { allowedOrigins } = props.config.operatorApi;
    this.api = new HttpApi(this, 'Api', {
      description: `Operator API (${props.stage})`,
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      // With CORS configured, API Gateway answers a preflight itself, before any route or authorizer (the
      // browser sends no token with it), and adds the headers to the function's answers:
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html. That holds while no
      // route takes OPTIONS ($default or ANY would send the preflight to the JWT authorizer). No origins: no
      // CORS configuration at all, as a console on the API's own origin needs none.
      ...(allowedOrigins.length > 0 && {
        corsPreflight: {
          allowOrigins: allowedOrigins,
          allowMethods: OPERATOR_API_CORS.allowMethods.map((method) => CorsHttpMethod[method]),
          allowHeaders: [...OPERATOR_API_CORS.allowHeaders],
          exposeHeaders: [...OPERATOR_API_CORS.exposeHeaders],
          allowCredentials: false,
          maxAge: Duration.seconds(OPERATOR_API_CORS.maxAgeSeconds),
        },
      }),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.functions.logRetention });
    new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // A line a request, naming the operator by the token's `sub` (empty when refused before the authorizer
        // read it), so that ops can tell whose requests they are: a script that runs many changes, or the stage's
        // throttle for everyone. The path names the inquiry; never the query string, which may hold a citizen's
        // VK id (`author`). https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            operator: '$context.authorizer.claims.sub',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            error: '$context.error.message',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const integration = new HttpLambdaIntegration('OperatorApiIntegration', fn);
    this.api.addRoutes({
      path: `${API_PREFIX}/{proxy+}`,
      methods: [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE],
      integration,
    });
    const [openApi] = this.api.addRoutes({
      path: OPENAPI_PATH,
      methods: [HttpMethod.GET],
      integration,
      authorizer: new HttpNoneAuthorizer(),
    });
    if (openApi)
      Validations.of(openApi).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The OpenAPI document describes the API and holds no data; every other route needs a token.',
      });
    // The base URL, as the OpenAPI document's `servers` (`/`) means it: its paths start with /api/v1 already.
    this.url = this.api.apiEndpoint;
    new CfnOutput(stack, 'OperatorApiUrl', {
      value: this.url,
      description: `The operator API's base URL: its routes are under ${API_PREFIX}`,
    });
    new CfnOutput(stack, 'OperatorApiDocumentUrl', {
      value: `${this.url}${OPENAPI_PATH}`,
      description: "The operator API's OpenAPI document (no token needed)",
    });
    const notQueued = productMetric(props.functions.metricsNamespace, 'OperatorMessagesNotQueued', {
      service: 'operator-api',
    });
    this.alarms = {
      thresholds: {
        // The operator API answers 503 (the change saved, its message to the citizen not queued): no
        // invocation fails, so only this count tells that an answer waits for the operator's repeat.
        OperatorMessagesNotQueued: {
          metric: notQueued,
          threshold: 1,
          evaluationPeriods: 1,
          description:
            "An operator's change was saved but its message to the citizen was not put on the answers queue (the operator API answered 503). Unless the console repeats the request with the same Idempotency-Key, the citizen never gets it. The operator API's ERROR log line 'operator change saved, its message not queued' names the inquiry in its path.",
        },
      },
    };
    // The API's answers as API Gateway counts them (its own 401s of expired tokens among the 4xx), and the
    // changes saved whose message was not queued: how many, and when, for the mail of either alarm.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    this.graph = {
      title: "Operators' requests, the API's 4xx and 5xx, and changes saved whose message was not queued",
      left: {
        '5xx': this.api.metricServerError(fiveMinutes),
        '4xx': this.api.metricClientError(fiveMinutes),
        'messages not queued (OperatorMessagesNotQueued)': notQueued,
      },
      right: { requests: this.api.metricCount(fiveMinutes) },
    };
  }
}
