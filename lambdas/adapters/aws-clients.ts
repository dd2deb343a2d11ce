import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export { sqsClient } from './sqs-client.js';

/**
 * SDK clients, one per container, created outside the handler so that warm invocations reuse their
 * connections. Endpoints come from the SDK's own AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_DYNAMODB variables,
 * which the local runtime sets to the emulators.
 */
let documents: DynamoDBDocumentClient | undefined;

export const documentClient = () => {
  documents ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documents;
};
