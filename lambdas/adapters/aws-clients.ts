import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SDK_REQUEST_HANDLER } from './sdk-timeouts.js';

export { sqsClient } from './sqs-client.js';

/**
 * SDK clients, one per container, created outside the handler so that warm invocations reuse their
 * connections. Endpoints come from the SDK's own AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_DYNAMODB variables,
 * which the local runtime sets to the emulators.
 */
let documents: DynamoDBDocumentClient | undefined;

export const documentClient = () => {
  // An attempt DynamoDB does not answer fails in time for the caller to tell (sdk-timeouts.ts): three of them,
  // not the four the SDK gives DynamoDB by default, which would take 8 s of the operator API's 10.
  documents ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ maxAttempts: 3, requestHandler: SDK_REQUEST_HANDLER }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return documents;
};
