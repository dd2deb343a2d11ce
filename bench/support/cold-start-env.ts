import { PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  createInquiryTable,
  createQueues,
  LOCAL_AWS,
  localDynamoClient,
  localSqsClient,
  startEmulatorsInChildProcess,
} from '../../local/emulators.js';
import { CONFIG_FILE, SECRETS_FILE } from './vk-events.js';

/**
 * What the functions read at import, pointing at real emulators (in a child process) with the table and
 * queues made and SQS warmed up: the first event of a cold start then goes through the real AWS SDK to them,
 * and what is timed is ours, not the emulator's own first request. The secrets come from the local file
 * store, the stand-in for SSM Parameter Store.
 */
export async function coldStartEnvironment() {
  const emulators = await startEmulatorsInChildProcess();
  const tableName = 'cold-inquiries';
  await createInquiryTable(localDynamoClient(emulators.dynamoEndpoint), tableName);
  const sqs = localSqsClient(emulators.sqsEndpoint);
  const queues = await createQueues(sqs, 'cold');
  // The emulator's own first SendMessage (its code not yet compiled by V8) would otherwise fall on the first
  // measured cold start: warm it up with a burst of the messages the functions send, then empty the queue.
  const body = JSON.stringify({
    eventKey: 'warm-up',
    groupId: 1,
    type: 'message_new',
    receivedAt: '',
    event: {},
  });
  for (let round = 0; round < 10; round++)
    await Promise.all(
      Array.from({ length: 20 }, () =>
        sqs.send(new SendMessageCommand({ QueueUrl: queues.events.url, MessageBody: body })),
      ),
    );
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queues.events.url }));
  return {
    variables: {
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TABLE_NAME: tableName,
      EVENTS_QUEUE_URL: queues.events.url,
      ROUTING_QUEUE_URL: queues.routing.url,
      CONFIG_FILE,
      LOCAL_SECRETS_FILE: SECRETS_FILE,
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    stop: () => emulators.stop(),
  };
}
