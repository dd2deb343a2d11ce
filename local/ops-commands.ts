import { LOCAL_AWS } from './emulators.js';
import type { LocalRuntime } from './runtime.js';

/**
 * What `npm start` prints so that the ops commands (dlq:replay, departments:move, operators:release, citizen:erase,
 * citizen:export, rejected:to-triage, permissions:forget, past-holders:fill, erasures:copy) can be tried on this runtime: its table, its queues, and the environment that sends the
 * AWS SDK to the emulators with credentials they accept (without credentials the SDK stops before any call);
 * and why the others (case-counters:carry, operators:add, vk:connect, vk:catch-up) cannot be.
 * `startedAt`: when the runtime started, with an empty table: erasures:copy's `--since` that takes in every
 * erasure made on it.
 */
export function opsCommandLines(
  runtime: Pick<LocalRuntime, 'emulators' | 'tableName' | 'queues'>,
  configFile: string,
  startedAt: Date,
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
    `    departments:move, operators:release, citizen:erase, permissions:forget and past-holders:fill only look, unless given --yes`,
    // These two act when run bare, unlike the five above.
    `    dlq:replay and rejected:to-triage act unless given --dry-run`,
    // It reads only: what it writes is the file it is given, never over one that exists.
    `    citizen:export changes nothing in the table: it writes a copy of one citizen's data to the new file --out names`,
    // erasures:copy copies to a table restored from a point in time, which only AWS makes: here its dry run
    // counts what it would copy (it reads --to only with --yes), and the copy itself is for AWS.
    `    erasures:copy here only counts the erasures it would copy (no restored table locally: --yes would fail on --to); in AWS, copy to the table restore-table-to-point-in-time made (docs/runbook.md, "Restoring the inquiry table from a point in time"):`,
    `      npm run erasures:copy -- --from ${runtime.tableName} --to ${runtime.tableName}-restored --since ${startedAt.toISOString()} --config ${configFile}`,
    // Its dry run reads the restored table's counters too, so that without one it can only stop.
    `    case-counters:carry needs a restored table even for its dry run: in AWS only (docs/runbook.md, "Restoring the inquiry table from a point in time", step 4)`,
    `    operators:add and vk:connect work on a deployed stage only (Cognito's user pool, VK's callback server)`,
    // The stand-in VK keeps only the community's own sends: what citizens send the local webhook never reaches it.
    `    vk:catch-up reads the community's dialogues in VK: on a deployed stage only (the stand-in VK here holds no citizen's message)`,
    ...Object.entries(runtime.queues).map(
      ([name, { url, deadLetterUrl }]) => `    ${name} queue: ${url}, dead letters: ${deadLetterUrl}`,
    ),
  ];
}
