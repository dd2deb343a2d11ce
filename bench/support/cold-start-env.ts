import { fork } from 'node:child_process';
import { get } from 'node:http';
import { PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { EXTENSION_HOST } from '../../lambdas/adapters/extension-secret-store.js';
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
 * queues made and SQS warmed up: the first event of a cold start then goes to them over HTTP as in AWS, and
 * what is timed is ours, not the emulator's own first request. Ingest takes its path in AWS: its
 * signed SendMessage to fauxqs, and the secrets through a stand-in for the Parameters and Secrets extension
 * (in a process of its own) serving the values of the benchmark's secrets file, not the local file store.
 */
export async function coldStartEnvironment() {
  const emulators = await startEmulatorsInChildProcess();
  const extension = await startSecretsExtensionStandIn(SECRETS_FILE, SESSION_TOKEN);
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
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TABLE_NAME: tableName,
      EVENTS_QUEUE_URL: queues.events.url,
      ROUTING_QUEUE_URL: queues.routing.url,
      ROUTING_DEAD_LETTER_QUEUE_URL: queues.routing.deadLetterUrl,
      CONFIG_FILE,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    stop: async () => {
      extension.stop();
      await emulators.stop();
    },
  };
}

/** What Lambda's session token would be: the extension checks it on each request. */
const SESSION_TOKEN = 'cold-start-session-token';

/** bench/support/secrets-extension-stand-in.ts in a child process, serving `file`'s values. */
async function startSecretsExtensionStandIn(file: string, token: string) {
  const child = fork(new URL('./secrets-extension-stand-in.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, STAND_IN_SECRETS_FILE: file, STAND_IN_TOKEN: token },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the secrets extension stand-in ended (${code})`)));
    child.once('message', (message) => resolve((message as { port: number }).port));
  });
  child.removeAllListeners('exit');
  // Its own first request (code not yet compiled) is not the function's: make it now.
  await new Promise<void>((resolve, reject) =>
    get({ host: EXTENSION_HOST, port, path: '/systemsmanager/parameters/get?name=warm-up' }, (answer) =>
      answer.resume().on('end', resolve),
    ).on('error', reject),
  );
  return { port, stop: () => child.kill() };
}
