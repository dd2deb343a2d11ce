import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Annotations, App, CfnOutput, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { calendarWarnings, operatorConsoleWarnings, readConfigFile } from '../lambdas/adapters/config.js';
import { type AppConfig, AWS_REGION, ConfigError } from '../lambdas/domain/config/schema.js';
import { otherStagesParameters } from '../lambdas/domain/config/stage-parameters.js';
import { MAX_STAGE_LENGTH } from '../lambdas/domain/vk-api/server-title.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

/**
 * The CDK app: `npx cdk synth [-c stage=dev] [-c config=path] [-c region=…]`. The configuration is validated
 * here, so a bad file stops the synth with the list of its problems before anything is built.
 */
export function buildApp(app = new App()): App {
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9]{0,15}$/.test(stage))
    throw new ConfigError(`stage "${stage}" must be lower-case letters and digits`);
  // Each stage has its configuration file, config/<stage>.json, unless `-c config=path` names another.
  const configFile = resolve(String(app.node.tryGetContext('config') ?? `config/${stage}.json`));
  const config = readConfigFile(configFile);

  // The table's customer-managed key is tied to a region, so the stacks name theirs; synth stays offline.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: regionOf(app, stage, config, configFile) };
  const prefix = `VkInquiries-${stage}`;
  // Whatever the stage is called, its data is kept unless its configuration says it may be lost: a stage
  // named otherwise than `prod` (a second region, a renamed production) holds citizens' data as much.
  const keepData = !config.disposable;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    stage,
    env,
    keepData,
    departments: config.departments,
    operatorMail: config.operatorMail,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    stage,
    env,
    keepData,
    config,
    configFile,
    key: stateful.key,
    table: stateful.table,
    queues: stateful.queues,
    deadLetterQueues: stateful.deadLetterQueues,
    scheduleDeadLetterQueues: stateful.scheduleDeadLetterQueues,
    operators: stateful.operators,
    // A stage that keeps data reserves room for VK's events by default, a disposable one none;
    // `-c ingestReservedConcurrency=N` decides instead (0: none, for accounts with the default low limit).
    ingestReservedConcurrency:
      numberContext(app, 'ingestReservedConcurrency') ?? (keepData ? INGEST_RESERVED_CONCURRENCY : undefined),
  });
  if (config.inquiryTable !== undefined) {
    // The functions move to a restored table. The deployed Stateless stack imports the Stateful table's name
    // and ARN until its own update, which CloudFormation makes after the Stateful stack's: that update must
    // keep exporting them, or it fails on exports still in use.
    stateful.exportValue(stateful.table.tableName);
    stateful.exportValue(stateful.table.tableArn);
  }
  for (const warning of calendarWarnings(config))
    Annotations.of(stateless).addWarningV2('vk-inquiries:calendar-runs-out', warning);
  for (const warning of operatorConsoleWarnings(config))
    Annotations.of(stateless).addWarningV2('vk-inquiries:no-operator-console', warning);
  for (const warning of otherStagesParameters(config.communities, stage))
    Annotations.of(stateless).addWarningV2('vk-inquiries:parameter-of-another-stage', warning);
  // A stage's name is its stacks' for good: warned before its first deploy, not when vk:connect refuses it.
  if (stage.length > MAX_STAGE_LENGTH)
    Annotations.of(stateless).addWarningV2(
      'vk-inquiries:stage-name-too-long-for-vk',
      `stage "${stage}" is longer than the ${MAX_STAGE_LENGTH} characters VK's callback server title leaves it: vk:connect cannot connect a community to this stage. Choose a shorter name before the first deploy (docs/deploying.md)`,
    );
  new CfnOutput(stateless, 'CallbackUrl', {
    value: stateless.callbackUrl,
    description: 'Set this URL in VK',
  });
  Tags.of(app).add('project', 'vk-inquiries');
  Tags.of(app).add('stage', stage);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/**
 * Executions reserved for ingest on a stage that keeps data. Lambda keeps 100 of the account's concurrency
 * unreserved, so the account's limit must be at least 150 (docs/runbook.md, Prerequisites).
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 */
export const INGEST_RESERVED_CONCURRENCY = 50;

/**
 * Where the stage lives, and citizens' data with it: `-c region=…`, else the configuration's `region`. Never
 * CDK_DEFAULT_REGION: the CDK CLI sets it to us-east-1 when the profile names no region, so a forgotten region
 * would deploy there without a word.
 */
function regionOf(app: App, stage: string, config: AppConfig, configFile: string): string {
  const given = app.node.tryGetContext('region');
  if (given !== undefined && given !== '') {
    if (!AWS_REGION.test(String(given)))
      throw new ConfigError(`context region must be an AWS region such as eu-central-1, not "${given}"`);
    return String(given);
  }
  if (config.region) return config.region;
  throw new ConfigError(
    `No AWS region for stage "${stage}": set "region" in ${configFile} (e.g. "eu-central-1") or pass -c region=<region>.`,
  );
}

/** A whole-number context value (`-c name=50`), or undefined when not given. */
function numberContext(app: App, name: string): number | undefined {
  const value = app.node.tryGetContext(name);
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new ConfigError(`context ${name} must be a whole number, not "${value}"`);
  return parsed;
}

// Run by `cdk synth` (`tsx lib/app.ts`), not imported by a test. Compared as file URLs, which percent-encode
// a space or a non-ASCII letter of the project's path.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    buildApp().synth();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
