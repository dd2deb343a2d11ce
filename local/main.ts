import { existsSync } from 'node:fs';
import { SecretsFileError } from '../lambdas/adapters/secret-store.js';
import { ConfigError } from '../lambdas/domain/config/schema.js';
import { keepRunningThroughCrashes } from './crashes.js';
import { opsCommandLines } from './ops-commands.js';
import { startLocalRuntime } from './runtime.js';

/**
 * `npm start`: the whole pipeline on this machine.
 *   PORT    HTTP port (default 3000)
 *   CONFIG  configuration file (default config/local.json)
 *   SECRETS the stand-in for SSM Parameter Store (default: the config file's name with .secrets.json)
 *   ESCALATOR_INTERVAL_MS  how often the escalator looks for deadlines near or missed (default 60000)
 *   RETENTION_INTERVAL_MS  how often the retention sweep deletes finished inquiries past their period
 *                          (default 86400000, a day, as in AWS)
 * Intervals are at most 2147483647 ms (Node's longest); 0 turns the job off. A variable set empty counts as
 * unset.
 */
// The local pipeline runs on Node 20 (Lambda runs 22): the AWS SDK's reminder about that is only noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
/** A variable of the environment; set empty (`ESCALATOR_INTERVAL_MS=`) it is unset, not 0 or "". */
const setting = (name: string): string | undefined => process.env[name]?.trim() || undefined;
const configFile = setting('CONFIG') ?? 'config/local.json';
const secretsFile = setting('SECRETS') ?? configFile.replace(/\.json$/, '.secrets.json');
const port = Number(setting('PORT') ?? 3000);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * The longest interval Node's timers keep: a longer one is set to 1 ms, so the job would run every
 * millisecond (https://nodejs.org/api/timers.html#setintervalcallback-delay-args).
 */
const LONGEST_INTERVAL_MS = 2 ** 31 - 1;

/** An interval from the environment, in milliseconds: 0 turns the job off. */
function intervalMs(name: string, fallback: number): number {
  const value = Number(setting(name) ?? fallback);
  if (!Number.isInteger(value) || value < 0)
    fail(`${name} must be a whole number of milliseconds, not "${process.env[name]}"`);
  if (value > LONGEST_INTERVAL_MS)
    fail(
      `${name} must be at most ${LONGEST_INTERVAL_MS} milliseconds (about 24.8 days, the longest interval Node keeps), not "${process.env[name]}": 0 turns it off`,
    );
  return value;
}

const escalatorIntervalMs = intervalMs('ESCALATOR_INTERVAL_MS', 60_000);
const retentionIntervalMs = intervalMs('RETENTION_INTERVAL_MS', 24 * 60 * 60 * 1000);
const every = (ms: number, name: string) => (ms === 0 ? `is off, ${name}=0` : `runs every ${ms} ms`);

if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`PORT must be a port number, not "${process.env.PORT}"`);
if (!existsSync(configFile)) fail(`No configuration file at ${configFile} (set CONFIG=path)`);
if (!existsSync(secretsFile)) fail(`No secrets file at ${secretsFile} (set SECRETS=path)`);

try {
  // Before the table is made: every erasure made on this runtime is at this time or later.
  const startedAt = new Date();
  const runtime = await startLocalRuntime({
    port,
    configFile,
    secretsFile,
    escalatorIntervalMs,
    retentionIntervalMs,
    printNotifications: true,
  });
  // From here on a handler's error that nobody handles fails its invocation, not the whole runtime
  // (local/crashes.ts); one before, the start's own, still stops the start.
  keepRunningThroughCrashes();
  const { fileSecretStore } = await import('../lambdas/adapters/secret-store.js');
  const secrets = fileSecretStore(secretsFile);
  console.log(`Local pipeline listening on ${runtime.url}`);
  console.log(`  VK callback:  POST ${runtime.url}/vk/callback`);
  console.log(`  inquiries:    GET  ${runtime.url}/api/inquiries`);
  console.log(
    `  escalations:  GET  ${runtime.url}/api/notifications (deadline e-mails; the escalator ${every(escalatorIntervalMs, 'ESCALATOR_INTERVAL_MS')})`,
  );
  console.log(
    `  retention:    inquiries finished over ${runtime.config.retention.closedInquiryDays} days ago are deleted (the sweep ${every(retentionIntervalMs, 'RETENTION_INTERVAL_MS')})`,
  );
  console.log(
    `  DynamoDB (dynalite) at ${runtime.emulators.dynamoEndpoint}, SQS (fauxqs) at ${runtime.emulators.sqsEndpoint}, kept in memory, forgotten at Ctrl-C`,
  );
  // A community not connected yet (its token stored) has neither until npm run vk:connect stores them.
  const shown = (value: string | undefined) => (value ? `"${value}"` : 'not set yet (npm run vk:connect)');
  for (const community of runtime.config.communities) {
    console.log(
      `  community "${community.name}": group_id ${community.groupId}, secret ${shown(await secrets.get(community.callbackSecret.parameter))}, confirmation code ${shown(await secrets.get(community.confirmationCode.parameter))}`,
    );
  }
  console.log(
    `  operator API: ${runtime.url}/api/v1/inquiries (OpenAPI: GET ${runtime.url}/api/openapi.json)`,
  );
  console.log(
    `    by the case number an acknowledgement tells: GET ${runtime.url}/api/v1/inquiries?caseNumber=<year>-<number>`,
  );
  const { allowedOrigins } = runtime.config.operatorApi;
  if (allowedOrigins.length > 0)
    console.log(`    callable from pages of ${allowedOrigins.join(', ')} (operatorApi.allowedOrigins)`);
  for (const operator of runtime.config.localOperators ?? [])
    console.log(
      `    ${operator.name} (${operator.groups.join(', ')}): Authorization: Bearer ${await secrets.get(operator.token.parameter)}`,
    );
  if (runtime.vk) console.log(`  stand-in VK API (answers to citizens): ${runtime.vk.baseUrl}`);
  for (const line of opsCommandLines(runtime, configFile, startedAt)) console.log(line);
  const { calendarWarnings } = await import('../lambdas/adapters/config.js');
  for (const warning of calendarWarnings(runtime.config)) console.warn(`Warning: ${warning}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    // A stop that fails exits all the same (a crash listener would otherwise leave it half-stopped).
    await runtime.stop().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
    console.log('Stopped.');
    process.exit(0);
  };
  // Listening before saying so: a Ctrl-C that follows the line at once stops the runtime as any other.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  console.log('Press Ctrl-C to stop.');
} catch (error) {
  if (error instanceof ConfigError || error instanceof SecretsFileError) fail(error.message);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
    fail(`Port ${port} is in use (set PORT=another)`);
  // Not rethrown: the listener of keepRunningThroughCrashes would take it for a crash to run on after.
  console.error(error);
  process.exit(1);
}
