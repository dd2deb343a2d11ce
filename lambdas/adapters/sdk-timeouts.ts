/**
 * The request handler options of the functions' AWS SDK clients (SQS, DynamoDB, SNS): an attempt of a call has
 * 1 s to connect and 2 s in all, then fails with a TimeoutError, which the SDK retries as it does any fault
 * that may pass, within the client's attempts. Without them a call that SQS or DynamoDB never answers waits
 * until the function's timeout, and what the function does when a call fails never runs: the operator API's
 * 503 for a change saved whose message was not queued (within its 10 s: two SQS attempts give up by about
 * 4 s, three DynamoDB ones by about 6 s), the escalator's digest of the departments in hand before it stops
 * for time. Every call of ours is a small item or a page of a query, answered in milliseconds.
 * `throwOnRequestTimeout`: since @smithy/node-http-handler 4.4, a `requestTimeout` passed only logs a warning
 * without it. https://github.com/aws/aws-sdk-js-v3/blob/main/UPGRADING.md
 * Ingest does not use them: it times its own SQS attempts within its budget (sqs-signed-queue.ts).
 */
export const SDK_REQUEST_HANDLER = {
  connectionTimeout: 1000,
  requestTimeout: 2000,
  throwOnRequestTimeout: true,
};
