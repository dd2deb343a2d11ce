import { SQSClient } from '@aws-sdk/client-sqs';
import { SDK_REQUEST_HANDLER } from './sdk-timeouts.js';

let sqs: SQSClient | undefined;

/**
 * The SQS client, one per container (aws-clients.ts says why). Apart from the DynamoDB clients, so that a
 * function that only sends to SQS (ingest) bundles and loads no DynamoDB code on its cold start.
 */
export const sqsClient = () => {
  sqs ??= new SQSClient({
    maxAttempts: 2,
    // An attempt SQS does not answer fails in time for the caller to tell (sdk-timeouts.ts).
    requestHandler: SDK_REQUEST_HANDLER,
    // Queue URLs are passed as they are; the endpoint is the SDK's (or the emulator's), never the URL's host.
    useQueueUrlAsEndpoint: false,
    // The middleware chain of each command class is put together once, not on every call (a copy and sort of
    // the whole stack each time). Safe as nothing adds middleware to this client or its commands; see
    // `cacheMiddleware` in @smithy/core's SmithyConfiguration.
    cacheMiddleware: true,
  });
  return sqs;
};
