import { LOCAL_AWS } from './emulators.js';
import type { LocalRuntime } from './runtime.js';

/**
 * What `npm start` prints so that the ops commands (dlq:replay, departments:move, citizen:erase,
 * rejected:to-triage, permissions:forget) can be tried on this runtime: its table, its queues, and the environment that sends the
 * AWS SDK to the emulators with credentials they accept (without credentials the SDK stops before any call).
 */
export function opsCommandLines(
  runtime: Pick<LocalRuntime, 'emulators' | 'tableName' | 'queues'>,
  configFile: string,
): string[] {
  const environment = [
    `AWS_REGION=${LOCAL_AWS.region}`,
    `AWS_ACCESS_KEY_ID=${LOCAL_AWS.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${LOCAL_AWS.secretAccessKey}`,
    `AWS_ENDPOINT_URL_DYNAMODB=${runtime.emulators.dynamoEndpoint}`,
    `AWS_ENDPOINT_URL_SQS=${runtime.emulators.sqsEndpoint}`,
  ];
  return [
    `  ops commands on this runtime, from another shell in this folder (README, "Trying the ops commands locally"):`,
    `    export ${environment.join(' ')}`,
    `    table: --table ${runtime.tableName} --config ${configFile}`,
    // What changes the table only looks without it: a mistyped id there would move or erase at once.
    `    departments:move, citizen:erase and permissions:forget only look, unless given --yes`,
    ...Object.entries(runtime.queues).map(
      ([name, { url, deadLetterUrl }]) => `    ${name} queue: ${url}, dead letters: ${deadLetterUrl}`,
    ),
  ];
}
