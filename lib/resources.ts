/**
 * The table and the queues, described once. The CDK stateful stack builds them for AWS and the local
 * runtime creates them in the emulators from this same description, so the two cannot drift.
 * Plain data only: no CDK or AWS SDK imports here.
 */

export const INQUIRY_TABLE = {
  logicalName: 'inquiries',
  partitionKey: 'pk',
  sortKey: 'sk',
  // `gsi2`, inquiries by conversation, is gone: nothing read it (threading reads the conversation's pointer
  // item, consistently). Inquiries written before still carry its keys, so no new index may take them. Add or
  // remove one index per deployment: DynamoDB creates or deletes one per table update
  // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html).
  indexes: {
    /** A department's open inquiries by deadline: what operators work through and the escalator checks. */
    byDepartmentDeadline: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /**
     * A department's open inquiries by the next moment the escalator must look at them (the warning point,
     * then the due time); sparse: an inquiry leaves it once escalated or answered.
     */
    byEscalationDue: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /**
     * Every routed inquiry of a department, whatever its status, by the time it was opened: operators' lists
     * newest first and the statistics of a period.
     */
    byDepartmentOpened: { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  },
} as const;

export interface QueueSpec {
  logicalName: string;
  /** Must be at least six times the consumer's timeout, as AWS advises for Lambda event sources. */
  visibilityTimeoutSeconds: number;
  /** Attempts before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** The consumer's batch size and the longest it waits to fill a batch. */
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** The consumer's timeout. */
  consumerTimeoutSeconds: number;
  /** The most concurrent consumers (2 or more): a flood waits in the queue instead of taking every slot. */
  maxConcurrency?: number;
}

/**
 * What the responder's two queues share, the outbox and the answers queue: one function consumes both (its
 * timeout is the consumer's), and a message of either rides out the same VK outage before its dead letters.
 */
export const RESPONDER_QUEUE = {
  visibilityTimeoutSeconds: 540,
  maxReceiveCount: 20,
  consumerTimeoutSeconds: 90,
} as const;

export const QUEUES = {
  /** VK events accepted by ingest, waiting to be classified. */
  events: {
    logicalName: 'events',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    consumerTimeoutSeconds: 30,
    maxConcurrency: 10,
  },
  /** Classified citizen messages, waiting to be routed into inquiries. */
  routing: {
    logicalName: 'routing',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    consumerTimeoutSeconds: 30,
    maxConcurrency: 10,
  },
  /**
   * Messages to citizens, waiting for the responder to send them through the VK API. A responder sends its
   * batch's messages at the same time (one citizen's one after the other), and VK allows a token 20 calls a
   * second (a user token 3) however many responders share it, which the rate limit in the table holds to.
   * Five responders, 25 calls at once: 70 to 130 messages a second over ten communities with VK answering in
   * 250 to 50 ms (bench/responder.ts), against 7 to 20 with two sending one message at a time, so a burst of
   * 25 acknowledgements a second gets through even with VK answering in half a second. The 25 calls one
   * community's messages may bring at once all find a slot within the 10 s a call may wait, even on a user
   * token (25 × 367 ms): none is given back for being one of many (test/unit/outbox/concurrency.test.ts). A
   * slot is about one write on the token's item whatever the number of responders, some 20 a second, far
   * below the 1,000 a partition takes:
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
   * Twenty receives with the responder's backoff (10 s doubling to 30 min) ride out a VK outage of
   * 6 h 12 min 30 s (the last try), then the message goes to the dead-letter queue; a message held for its
   * token waits an hour per receive.
   */
  outbox: {
    ...RESPONDER_QUEUE,
    logicalName: 'outbox',
    batchSize: 5,
    maxBatchingWindowSeconds: 1,
    maxConcurrency: 5,
  },
  /**
   * Operators' words to citizens (answers, intermediate answers, the acknowledgement of a message an operator
   * put into work): everything the operator API sends. The same responder takes them out through an event
   * source of its own, so that an answer never waits behind a burst of the router's acknowledgements on the
   * outbox (a community's token sends about 18 a second: a thousand acknowledgements are a minute of them).
   * It reaches the rate limit in the table within a second or two of being queued and waits there only for
   * the calls already booked (at most the 25 the outbox's responders hold at once: about 1.4 s of a community
   * token, 9.2 s of a user token). Few messages, each one waited for: no batching window, one message a
   * batch, two responders (the least an event source takes). So the two queues have at most 27 calls wait
   * for one token, which a user token's 3 a second still serve within the 10 s a call may wait
   * (test/unit/outbox/concurrency.test.ts). The same attempts and backoff as the outbox, so the same VK
   * outage is ridden out.
   */
  answers: {
    ...RESPONDER_QUEUE,
    logicalName: 'answers',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 2,
  },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = keyof typeof QUEUES;

/** The pipeline's queues keep a message 4 days (SQS's default) before it is a dead letter or lost. */
export const QUEUE_RETENTION_DAYS = 4;

/** Dead-letter queues keep a message for 14 days, the longest SQS allows, so that none is lost unseen. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/**
 * The age of a dead letter at which its alarm tells that SQS will soon delete it. A standard queue's dead
 * letter is deleted DEAD_LETTER_RETENTION_DAYS after it was first sent to its queue, not after it moved; but
 * the dead-letter queue's ApproximateAgeOfOldestMessage counts from its move. One that spent up to
 * QUEUE_RETENTION_DAYS in its queue has at least 10 days as a dead letter: at 6, 4 or more are left to replay
 * it (a long weekend), the alarm's hour of delay aside.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
 */
export const DEAD_LETTER_EXPIRING_DAYS = 6;

export const deadLetterName = (queue: QueueSpec) => `${queue.logicalName}-dlq`;

/**
 * The classifier begins a record of its batch only while this much of the invocation (QUEUES.events'
 * `consumerTimeoutSeconds`) is left: enough to hand on what it has classified (the ledger's claim, the routing
 * queue's send and the ledger's mark, a few milliseconds each, a few seconds when an attempt times out:
 * lambdas/adapters/sdk-timeouts.ts). The records not begun are reported as the batch's failures, so that SQS
 * delivers only them again; on a timeout Lambda reports none and SQS would deliver the whole batch again, and
 * after `maxReceiveCount` such batches keep every record of it as a dead letter.
 */
export const CLASSIFIER = {
  recordReserveMs: 3000,
} as const;

/**
 * Ingest's time limits, set so that when SQS or SSM is slow VK gets ingest's own 503, with its log line,
 * rather than Lambda's timeout. The worst case of an event, from the start of the invocation:
 * - the secrets, at most 1.5 s a read through the extension (extension-secret-store.ts), and two reads when
 *   VK signed with the previous secret: 3 s;
 * - SQS: an attempt of at most 2 s, a second one after a fault that may pass (sqs-signed-queue.ts), each cut
 *   to the function's remaining time less `answerReserveMs`, and none begun with less than 250 ms of it:
 *   SQS is given up by 5 − 0.5 = 4.5 s at the latest (2 × 2 s + 3 s would have been 7 s);
 * - then the 503 and its log line (Powertools loaded on the first), within the 0.5 s kept for them.
 * A cold start's Init is not counted in the function's timeout but is in API Gateway's: its integration waits
 * 1 s longer than the function, so that even a function that ran out (a crash, `Task timed out` in its log)
 * ends first and API Gateway's 503 is its gateway response, not a timeout of its own.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export const INGEST = {
  timeoutSeconds: 5,
  integrationTimeoutSeconds: 6,
  /** Kept at the end of an invocation for the answer and its log line: SQS gets the rest. */
  answerReserveMs: 500,
} as const;

/**
 * What the callback's API Gateway answers VK in ingest's place when ingest failed, timed out or could not be
 * invoked (its gateway responses, with `Retry-After` so that VK comes again): a REST API with a Lambda proxy
 * integration would otherwise answer a function's error or timeout with 502, and its own integration timeout
 * with 504. The local HTTP server answers the same when ingest outruns its timeout.
 * https://repost.aws/knowledge-center/malformed-502-api-gateway
 */
export const CALLBACK_GATEWAY_FAILURE = { statusCode: 503, body: 'unavailable' } as const;

/**
 * The escalator: EventBridge Scheduler runs it this often in AWS; the local runtime on an interval. A run
 * stops taking up departments and inquiries this long before its timeout: the time to send the digests of the
 * departments in hand (SNS, at most five a second: forty departments in 8 s) and clear their notices (a write
 * each, twenty at a time, with the SDK's retries: each department holds at most an e-mail's worth,
 * department-turns.ts in lambdas/escalator), then count what it leaves. What is left waits five minutes for
 * the next run, which starts one department further. The timeout leaves a run a minute of checks: a backlog
 * after the New Year holidays is tens of thousands due at once. The run lease keeps a run that started late
 * from overlapping the next.
 */
export const ESCALATOR = {
  intervalMinutes: 5,
  timeoutSeconds: 90,
  stopBeforeTimeoutSeconds: 30,
  /**
   * A run EventBridge Scheduler could not start (Lambda refused the call) is tried again for at
   * most two minutes, then is a dead letter (SCHEDULE_DEAD_LETTERS). A late run is worth little with the next
   * five minutes on, and one started within two minutes ends (its 90 s) before the next begins.
   */
  scheduleRetry: { attempts: 3, maxEventAgeSeconds: 120 },
  /**
   * A run Lambda took but could not start (throttled: the scheduler's call is asynchronous, and Lambda keeps
   * the run in its own queue) waits there at most three minutes, then is a dead letter too: one started within
   * three minutes ends (its 90 s) before the next begins, and a later one is worth less than the next run.
   * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  asyncMaxEventAgeSeconds: 180,
  /**
   * The production calendar's years (escalator/calendar-watch.ts): each run writes `CalendarDaysLeft`, the
   * fewest days of any community before its deadlines may end in a year its calendar does not list, once fewer
   * than `writtenBelowDays` are left (from late September with the shipped terms, when the decree on the next
   * year is out): a metric is billed for the hours it is written, so the rest of the year costs nothing. Below
   * `alarmBelowDays` its alarm fires and the run logs a warning naming the communities: time enough to add
   * the year, review it and deploy before any deadline is counted wrongly.
   */
  calendar: { alarmBelowDays: 45, writtenBelowDays: 90 },
} as const;

/**
 * The retention sweep: EventBridge Scheduler runs it once a day, at night in Moscow (few operators at work);
 * it stops taking up inquiries this long before its timeout, and the next night goes on. The longest timeout
 * Lambda allows: a run that has the time deletes a period's backlog (a period shortened) in fewer nights, and
 * once a day the extra minutes cost next to nothing.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
 */
export const RETENTION = {
  scheduleHour: 3,
  scheduleTimeZone: 'Europe/Moscow',
  timeoutSeconds: 900,
  stopBeforeTimeoutSeconds: 30,
  /**
   * A night's run EventBridge Scheduler could not start is worth trying again, the next one being a day
   * away: for up to four hours (until 07:00 in Moscow, before the working day), as often as the scheduler's
   * backoff allows, then it is a dead letter (SCHEDULE_DEAD_LETTERS). A run started late is safe at any hour.
   */
  scheduleRetry: { attempts: 185, maxEventAgeSeconds: 4 * 60 * 60 },
  /** A night's run Lambda took but could not start (throttled) waits in Lambda's queue as long, four hours. */
  asyncMaxEventAgeSeconds: 4 * 60 * 60,
} as const;

/**
 * The functions EventBridge Scheduler runs, each with a dead-letter queue of its own in the Stateful stack.
 * A letter is one of two: the scheduler's, of a run whose call Lambda refused once its retries were spent
 * (the role may not invoke the function, the function is gone), with the error in its message attributes;
 * or Lambda's on-failure record, of a run Lambda took and then could not start within its maximum event age
 * (throttled) or that failed, with the condition and the error in its JSON body.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export const SCHEDULE_DEAD_LETTERS = {
  escalator: { logicalName: 'escalator-schedule-dlq' },
  retention: { logicalName: 'retention-schedule-dlq' },
} as const;

export type ScheduledName = keyof typeof SCHEDULE_DEAD_LETTERS;
