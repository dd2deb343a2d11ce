import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, one per container, created outside the handler so that warm invocations reuse their
 * connections. Endpoints come from the SDK's own AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_DYNAMODB variables,
 * which the local runtime sets to the emulators.
 */
let sqs: SQSClient | undefined;
let documents: DynamoDBDocumentClient | undefined;

export const sqsClient = () => {
  // Queue URLs are passed as they are; the endpoint is the SDK's (or the emulator's), never the URL's host.
  sqs ??= new SQSClient({ maxAttempts: 2, useQueueUrlAsEndpoint: false });
  return sqs;
};

export const documentClient = () => {
  documents ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documents;
};
