import { Duration } from 'aws-cdk-lib';
import { MathExpression, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { OUTBOX_PURPOSES } from '../../lambdas/domain/outbox/outbox-message.js';
import { QUEUES } from '../resources.js';
import { consumeQueue, grantTableEncryption } from './data-key.js';
import { type FunctionSettings, HouseFunction } from './house-function.js';
import { grantParametersRead } from './parameter-grants.js';
import type { GraphSpec } from './pipeline-dashboard.js';
import type { ProductAlarms } from './product-alarms.js';
import { productMetric } from './product-metric.js';

export interface ResponderProps {
  config: AppConfig;
  /**
   * What the responder is given as every function of the stage (house-function.ts): its metrics namespace is
   * where it counts, and where its alarms read.
   */
  functions: FunctionSettings;
  table: ITableV2;
  key: IKey;
  outbox: IQueue;
  /** Operators' words to citizens: consumed beside the outbox, so that they never wait behind it. */
  answers: IQueue;
  /** The VK API; https://api.vk.com/method unless set. */
  vkApiBaseUrl?: string;
}

/**
 * The responder: takes messages to citizens off the outbox queue and the answers queue and sends them through
 * the VK API, a batch's messages at the same time. An event source for each queue: five responders at once on
 * the outbox, two on the answers (their maxConcurrency, lib/resources.ts says why), so that a backlog of
 * acknowledgements never takes the slots the operators' answers need. VK allows a community token 20 calls a
 * second across all of them, which they share through a counter item in the table.
 */
export class Responder extends Construct {
  readonly function: IFunction;
  /**
   * What the token alarm watches: VK refused a community's token and a person must act (errors 5, 27, 28: bad
   * token; 7, 15: a right missing; 14: captcha; 17: validation).
   */
  readonly tokenErrors: Metric;
  /** Replies that will never reach the citizen (901, closed comments, no token for the channel…). */
  readonly undeliverable: Metric;
  /**
   * The age of the oldest message given back to the queue unsent in each minute (VK failing, not answering or
   * holding the community to one of its limits, the rate limit busy, an error; not a message held for its
   * token): what the late-replies alarm watches.
   */
  readonly unsentAge: Metric;
  /** Messages VK took, of every purpose: acknowledgements, intermediate answers, answers, further replies. */
  readonly delivered: MathExpression;
  /** Messages given back to the queue unsent, by reason (lambdas/adapters/outbox-metrics.ts). */
  readonly deferred: Record<'retry' | 'busy' | 'token' | 'error', Metric>;
  readonly alarms: ProductAlarms;
  readonly graph: GraphSpec;

  constructor(scope: Construct, id: string, props: ResponderProps) {
    super(scope, id);
    // One function for both queues: its timeout is that of either's consumer (lib/resources.ts: the same).
    const spec = QUEUES.outbox;
    const fn = new HouseFunction(this, 'Responder', {
      ...props.functions,
      entry: 'lambdas/responder/handler.ts',
      timeout: Duration.seconds(spec.consumerTimeoutSeconds),
      environment: {
        TABLE_NAME: props.table.tableName,
        OUTBOX_QUEUE_URL: props.outbox.queueUrl,
        ANSWERS_QUEUE_URL: props.answers.queueUrl,
        ...(props.vkApiBaseUrl && { VK_API_BASE_URL: props.vkApiBaseUrl }),
      },
      readsSecrets: true,
    }).function;
    this.function = fn;
    for (const [queue, of] of [
      [props.outbox, QUEUES.outbox],
      [props.answers, QUEUES.answers],
    ] as const)
      consumeQueue(fn, queue, props.key, of);
    // Reads and writes by key: outbox records, delivery history, the rate counter (updated in place). A
    // message's record and its inquiry are read together (BatchGetItem).
    // Query: a deleted inquiry's history, for the entries of a message the responder wrote after the deletion.
    // DeleteItem: the entries of a refused answer's record on its inquiry, written by a write refused on its
    // version, each on the condition that it wrote them last.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ],
        resources: [props.table.tableArn],
      }),
    );
    // The backoff: a busy message is put out of sight for longer than Lambda would, in the queue it came from.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:ChangeMessageVisibility'],
        resources: [props.outbox.queueArn, props.answers.queueArn],
      }),
    );
    grantTableEncryption(fn, props.key, props.table);
    const tokens = props.config.communities.flatMap((community) =>
      [community.tokens?.community, community.tokens?.user].flatMap((reference) =>
        reference ? [reference.parameter] : [],
      ),
    );
    if (tokens.length > 0) grantParametersRead(this, fn, tokens);
    const product = (metricName: string, dimensions: Record<string, string> = {}) =>
      productMetric(props.functions.metricsNamespace, metricName, { service: 'responder', ...dimensions });
    this.tokenErrors = product('VkTokenErrors');
    // The series the responder counts without the community and purpose, for one alarm over all of them.
    this.undeliverable = product('MessagesUndeliverable');
    this.unsentAge = product('OutboxMessageAge').with({ statistic: 'Maximum', period: Duration.minutes(1) });
    const deferred = (reason: string) => product('MessagesDeferred', { reason });
    // Counted by purpose only (finish-delivery.ts): CloudWatch sums no dimension away, so the sum of the
    // purposes' series, each filled with 0 so that a period one of them counted nothing still shows the others.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
    const deliveredOf = Object.fromEntries(
      OUTBOX_PURPOSES.map((purpose) => [`delivered_${purpose}`, product('MessagesDelivered', { purpose })]),
    );
    this.delivered = new MathExpression({
      expression: Object.keys(deliveredOf)
        .map((id) => `FILL(${id}, 0)`)
        .join(' + '),
      usingMetrics: deliveredOf,
      period: Duration.minutes(5),
    });
    this.deferred = {
      retry: deferred('retry'),
      busy: deferred('busy'),
      token: deferred('token'),
      error: deferred('error'),
    };
    this.alarms = {
      counted: {
        VkTokenErrors: {
          metric: this.tokenErrors,
          meaning:
            "VK refused a community's token: replies to its citizens are held (an hour a try) until a person stores a valid token.",
        },
        MessagesUndeliverable: {
          metric: this.undeliverable,
          meaning:
            "A reply will never reach the citizen where they wrote (VK refused it for good: messages not allowed, a comment deleted, a post closed), or failed every try and waits in the responder's dead-letter queue (replay it once its cause is fixed); its inquiry is marked undelivered for the operators.",
        },
      },
      thresholds: {
        // While VK fails or does not answer, each message is given back with a growing delay and the
        // responder's invocations all succeed: no error alarm, and SQS leaves a message received three times
        // out of the outbox's oldest-message age. The age of what is given back is what shows it. 10 minutes:
        // a flaky call is tried three times in the invocation, and a message that failed every try since it
        // came has its seventh receive 630 s after its first (the backoff 10 s, 20 s … 320 s), so an outage of
        // about 11 minutes alerts and a spell of a minute or two does not. 35 one-minute periods, longer than
        // the backoff's 30-minute cap: while VK stays down an unsent message comes back within them, so the
        // alarm does not fall back to OK between its receives. Messages held for a token are not counted:
        // VkTokenErrors tells of them.
        OutboxMessageAge: {
          metric: this.unsentAge,
          threshold: LATE_REPLY_SECONDS,
          evaluationPeriods: 35,
          description: `Replies to citizens are late: a message given back to the outbox or the answers queue unsent (VK failing, not answering or refusing such calls for one of its limits, the responder's rate limit busy, or an error) is over ${LATE_REPLY_SECONDS / 60} minutes old. The responder's log says why (message to citizen deferred / not handled).`,
        },
      },
    };
    this.graph = {
      title: 'Replies to citizens given back unsent (by reason) and the oldest (s)',
      left: {
        'VK failed, did not answer or held to a limit': this.deferred.retry,
        'rate limit busy': this.deferred.busy,
        'token refused': this.deferred.token,
        error: this.deferred.error,
      },
      right: { 'oldest given back (s)': this.unsentAge },
    };
  }
}

/** A reply to a citizen still unsent after this long raises the OutboxMessageAge alarm (see above). */
const LATE_REPLY_SECONDS = 600;
