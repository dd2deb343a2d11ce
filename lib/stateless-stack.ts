import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { HouseFunction } from './constructs/house-function.js';
import { INQUIRY_TABLE, QUEUES, type QueueName } from './resources.js';

export interface StatelessStackProps extends StackProps {
  stage: string;
  config: AppConfig;
  configFile: string;
  key: IKey;
  table: TableV2;
  queues: Record<QueueName, Queue>;
}

/** The functions, the public endpoint VK calls, and the wiring between them. Safe to replace at any deploy. */
export class StatelessStack extends Stack {
  readonly callbackUrl: string;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { key, table, queues, config, configFile } = props;
    const logRetention = props.stage === 'prod' ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH;
    const fn = (name: string, entry: string, timeout: Duration, environment: Record<string, string>) =>
      new HouseFunction(this, name, { entry, configFile, timeout, environment, logRetention }).function;

    const ingest = fn('Ingest', 'lambdas/ingest/handler.ts', Duration.seconds(5), {
      EVENTS_QUEUE_URL: queues.events.queueUrl,
    });
    const classifier = fn(
      'Classifier',
      'lambdas/classifier/handler.ts',
      Duration.seconds(QUEUES.events.consumerTimeoutSeconds),
      {
        ROUTING_QUEUE_URL: queues.routing.queueUrl,
      },
    );
    const router = fn(
      'Router',
      'lambdas/router/handler.ts',
      Duration.seconds(QUEUES.routing.consumerTimeoutSeconds),
      {
        TABLE_NAME: table.tableName,
      },
    );

    // Least privilege, written out: each function gets the actions it calls on the resources it uses.
    grantSend(ingest, queues.events, key);
    grantSend(classifier, queues.routing, key);
    grantSecretsRead(ingest, config, this);
    router.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        resources: [
          table.tableArn,
          ...Object.values(INQUIRY_TABLE.indexes).map((index) => `${table.tableArn}/index/${index.name}`),
        ],
      }),
    );
    key.grant(router, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');

    consume(classifier, queues.events, 'events');
    consume(router, queues.routing, 'routing');

    const accessLogs = new LogGroup(this, 'CallbackApiAccessLogs', { retention: logRetention });
    const api = new HttpApi(this, 'CallbackApi', {
      description: `VK Callback API endpoint (${props.stage})`,
      createDefaultStage: false,
    });
    new HttpStage(this, 'CallbackApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      // VK sends one request per event; a few hundred a second covers a busy region with room to spare.
      throttle: { rateLimit: 500, burstLimit: 1000 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
    const [route] = api.addRoutes({
      path: '/vk/callback',
      // Every method reaches ingest, which answers 405 to anything but POST.
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('IngestIntegration', ingest),
    });
    if (route)
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'VK cannot send credentials: each request is authenticated by the secret in its body, compared in constant time by ingest.',
      });
    this.callbackUrl = `${api.apiEndpoint}/vk/callback`;

    for (const construct of [ingest, classifier, router]) {
      Validations.of(construct).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only lets the function write its own logs.',
      });
      Validations.of(construct).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
      });
    }
  }
}

function grantSend(grantee: IGrantable, queue: Queue, key: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  // SQS encrypts with a data key from the queue's KMS key on the sender's behalf.
  key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/** An SQS event source that reports partial batch failures, so that only failed messages are retried. */
function consume(fn: import('aws-cdk-lib/aws-lambda').IFunction, queue: Queue, name: QueueName): void {
  const spec = QUEUES[name];
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: spec.batchSize,
      maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
      reportBatchItemFailures: true,
    }),
  );
}

function grantSecretsRead(grantee: IGrantable, config: AppConfig, stack: Stack): void {
  const parameters = config.communities.flatMap((community) => [
    community.callbackSecret.parameter,
    community.confirmationCode.parameter,
  ]);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: parameters.map((name) =>
        stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) }),
      ),
    }),
  );
}
