import { SQSClient } from '@aws-sdk/client-sqs';

let sqs: SQSClient | undefined;

/**
 * The SQS client, one per container (aws-clients.ts says why). Apart from the DynamoDB clients, so that a
 * function that only sends to SQS (ingest) bundles and loads no DynamoDB code on its cold start.
 */
export const sqsClient = () => {
  // Queue URLs are passed as they are; the endpoint is the SDK's (or the emulator's), never the URL's host.
  sqs ??= new SQSClient({ maxAttempts: 2, useQueueUrlAsEndpoint: false });
  return sqs;
};
