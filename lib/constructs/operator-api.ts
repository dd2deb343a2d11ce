import { CfnOutput, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { ADMIN_GROUP, departmentGroup } from '../../lambdas/domain/operator/access.js';
import { API_PREFIX, OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { INQUIRY_TABLE } from '../resources.js';
import { HouseFunction } from './house-function.js';

export interface OperatorApiProps {
  stage: string;
  config: AppConfig;
  configFile: string;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  table: TableV2;
  key: IKey;
  outbox: IQueue;
}

/**
 * The operator API: one function behind an HTTP API whose routes (but the OpenAPI document) need an ID token
 * of the operators' Cognito user pool, checked by API Gateway's JWT authorizer. The pool has a group per
 * department and one for admins; the function reads them from the token's `cognito:groups`.
 */
export class OperatorApi extends Construct {
  readonly function: IFunction;
  readonly userPool: UserPool;
  readonly api: HttpApi;
  readonly url: string;

  constructor(scope: Construct, id: string, props: OperatorApiProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.userPool = new UserPool(this, 'Operators', {
      userPoolName: `vk-inquiries-operators-${props.stage}`,
      // Accounts are made by admins, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (formerly advanced security) blocks compromised credentials and risky sign-ins.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.stage === 'prod',
      removalPolicy: props.removalPolicy,
    });
    const client = this.userPool.addClient('Console', {
      authFlows: { userSrp: true },
      generateSecret: false,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    new UserPoolGroup(this, 'Admins', {
      userPool: this.userPool,
      groupName: ADMIN_GROUP,
      description: 'See and work every department’s inquiries',
    });
    for (const department of props.config.departments)
      new UserPoolGroup(this, `Department-${department.id}`, {
        userPool: this.userPool,
        groupName: departmentGroup(department.id),
        description: department.name.slice(0, 2048),
      });

    const fn = new HouseFunction(this, 'OperatorApi', {
      entry: 'lambdas/operator-api/handler.ts',
      configFile: props.configFile,
      timeout: Duration.seconds(10),
      logRetention: props.logRetention,
      environment: { TABLE_NAME: props.table.tableName, OUTBOX_QUEUE_URL: props.outbox.queueUrl },
    }).function;
    this.function = fn;
    const { byDepartmentDeadline, byDepartmentOpened } = INQUIRY_TABLE.indexes;
    // Inquiries by key (and one inquiry's items by Query); lists through two indexes, never a scan.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:Query'],
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
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.outbox.queueArn] }),
    );
    props.key.grant(fn, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');

    const authorizer = new HttpJwtAuthorizer(
      'OperatorAuthorizer',
      `https://cognito-idp.${stack.region}.amazonaws.com/${this.userPool.userPoolId}`,
      { jwtAudience: [client.userPoolClientId] },
    );
    this.api = new HttpApi(this, 'Api', {
      description: `Operator API (${props.stage})`,
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
    const integration = new HttpLambdaIntegration('OperatorApiIntegration', fn);
    this.api.addRoutes({
      path: `${API_PREFIX}/{proxy+}`,
      methods: [HttpMethod.GET, HttpMethod.POST],
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
    this.url = `${this.api.apiEndpoint}${API_PREFIX}`;
    new CfnOutput(stack, 'OperatorApiUrl', { value: this.url, description: 'The operator API' });
    new CfnOutput(stack, 'OperatorUserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(stack, 'OperatorUserPoolClientId', { value: client.userPoolClientId });
  }
}
