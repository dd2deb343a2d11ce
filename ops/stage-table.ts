import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readConfigFile } from '../lambdas/adapters/config.js';
import { SDK_REQUEST_HANDLER } from '../lambdas/adapters/sdk-timeouts.js';
import { type AppConfig, ConfigError } from '../lambdas/domain/config/schema.js';
import type { Failure } from './command-line.js';

/**
 * The ops commands' time limits for an attempt of a call: the functions' 1 s to connect, and 10 s in all, well
 * above the 0.1–0.3 s of a Scan page of 1 MB (command-line.ts, SCAN_SEGMENTS) or a batch of 1 MiB of SQS
 * messages. Without them an endpoint that takes the connection and never answers holds the command for good,
 * and one that does not answer the connection holds it for the system's connect timeout, each attempt. Timed
 * out, an attempt fails with a TimeoutError, which the SDK retries within the client's attempts (3).
 */
export const OPS_REQUEST_HANDLER = {
  connectionTimeout: SDK_REQUEST_HANDLER.connectionTimeout,
  requestTimeout: 10_000,
  throwOnRequestTimeout: true,
};

/**
 * The client of a stage's table for the ops commands: in the configuration's region (the stacks'), not the
 * AWS profile's, since the table is where the stacks are; AWS_REGION counts only for a configuration that
 * names none.
 */
export const stageDocumentClient = (config: AppConfig) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      requestHandler: OPS_REQUEST_HANDLER,
      ...(config.region && { region: config.region }),
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

/** The names and codes of errors that say the table was not reached, rather than that the work failed. */
const NOT_FOUND = new Set(['ResourceNotFoundException']);
const REFUSED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'CredentialsProviderError',
]);
const NO_CONNECTION = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
]);

/**
 * Which table a command was given: the one the functions use, or one restored from a point in time, which no
 * stack output names until the deploy that points the functions at it.
 */
export type TableNamed = 'in use' | 'restored';

const WHERE_NAMED: Record<TableNamed, string> = {
  'in use': "the Stateless stack's output InquiryTableName names it",
  restored: 'the name given to restore-table-to-point-in-time as --target-table-name',
};

/**
 * One line saying why the stage's table could not be used, when it is that (no such table in the region, no
 * credentials or no right to it, no connection), rather than a failure of the work; undefined otherwise. The
 * SDK's own messages say it less plainly ("Requested resource not found"), or not at all: a connection Node
 * tried over IPv4 and IPv6 fails with an AggregateError whose message is empty.
 */
export function tableOutOfReach(
  error: unknown,
  tableName: string,
  config: AppConfig,
  named: TableNamed = 'in use',
): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { name } = error;
  const code = (error as { code?: unknown }).code;
  const region = config.region ?? process.env.AWS_REGION ?? "the AWS profile's region";
  const where = `table ${tableName} in ${region}`;
  const said = [typeof code === 'string' && code !== name ? code : name, error.message]
    .filter(Boolean)
    .join(': ')
    .replace(/\s*\n\s*/g, ' ');
  if (NOT_FOUND.has(name))
    return `${where} cannot be reached: no such table (${WHERE_NAMED[named]}, in the region of the stage's configuration)`;
  const unreached =
    REFUSED.has(name) || NO_CONNECTION.has(name) || (typeof code === 'string' && NO_CONNECTION.has(code));
  return unreached ? `${where} cannot be reached: ${said}` : undefined;
}

/**
 * What a table command stops with on an error: the table out of reach said plainly, with its name and region
 * (tableOutOfReach), or else the error's own message.
 */
export const tableFailure = (
  error: unknown,
  tableName: string,
  config: AppConfig,
  named: TableNamed = 'in use',
): string =>
  tableOutOfReach(error, tableName, config, named) ??
  (error instanceof Error ? error.message : String(error));

/** The stage's configuration from `file`, or the command stopped with what is wrong with the file. */
export function stageConfigOrFail(file: string, fail: Failure): AppConfig {
  try {
    return readConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}
