import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  LoggingFormat,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  RecursiveLoop,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SECRET_MAX_AGE_SECONDS } from '../../lambdas/adapters/secret-store.js';

/**
 * What every function of a stage is given alike, decided once by the stack (stateless-stack.ts) and handed
 * whole through each part to its functions: a setting added here changes this file and the stack, no part.
 */
export interface FunctionSettings {
  /** The configuration file validated at synth; bundled beside the handler as config.json. */
  configFile: string;
  /** How long the function's log lines are kept: the stage's period, as every log of the stage. */
  logRetention: RetentionDays;
  /**
   * The CloudWatch namespace the function writes its product counters in: the stage's own (metricsNamespace
   * in lambdas/adapters/metrics.ts), given as Powertools' POWERTOOLS_METRICS_NAMESPACE.
   */
  metricsNamespace: string;
}

export interface HouseFunctionProps extends FunctionSettings {
  /** The handler file, relative to the project root, e.g. `lambdas/ingest/handler.ts`. */
  entry: string;
  timeout: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  reservedConcurrentExecutions?: number;
  /**
   * The function reads secrets from SSM Parameter Store: it gets the AWS Parameters and Secrets Lambda
   * Extension, which it reads them through (lambdas/adapters/extension-secret-store.ts) instead of loading an
   * SDK client on its cold start. The extension reads with the function's role: grant it ssm:GetParameter on
   * the parameters, as for a direct read.
   */
  readsSecrets?: boolean;
}

/**
 * The extension's settings: values kept as long as the functions keep them (rotations take effect within
 * the two), room for every parameter, and an SSM call given up before the function gives up on the
 * extension. https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html
 */
export const SECRETS_EXTENSION = {
  version: ParamsAndSecretsVersions.V1_0_103,
  cacheSize: 1000,
  ttlSeconds: SECRET_MAX_AGE_SECONDS,
  parameterStoreTimeoutMs: 1000,
  logLevel: ParamsAndSecretsLogLevel.WARN,
} as const;

/**
 * Every function of the product with the same defaults: Node.js 22 on arm64 (cheaper per GB-second than
 * x86), bundled by the local esbuild (no Docker) into minified, tree-shaken ESM, X-Ray tracing, JSON logs
 * kept for a set time, the stage's metrics namespace, and the validated configuration beside the code.
 */
export class HouseFunction extends Construct {
  readonly function: NodejsFunction;
  /** The group the function writes its log lines to: metric filters read them from here. */
  readonly logGroup: LogGroup;
  /** The handler file the function is bundled from. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.logGroup = logGroup;
    // A role of our own instead of CDK's default, which carries AWSLambdaBasicExecutionRole: that lets the
    // function create and write any log group of the account. This one writes its own group only, which the
    // stack creates (so no logs:CreateLogGroup); the group's ARN ends in `:*` and so covers its streams.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html
    const role = new Role(this, 'ServiceRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      role,
      entry: props.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      // Sets PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, by which createSecretStore knows the extension is there.
      paramsAndSecrets: props.readsSecrets
        ? ParamsAndSecretsLayerVersion.fromVersion(SECRETS_EXTENSION.version, {
            cacheEnabled: true,
            cacheSize: SECRETS_EXTENSION.cacheSize,
            parameterStoreTtl: Duration.seconds(SECRETS_EXTENSION.ttlSeconds),
            parameterStoreTimeout: Duration.millis(SECRETS_EXTENSION.parameterStoreTimeoutMs),
            logLevel: SECRETS_EXTENSION.logLevel,
          })
        : undefined,
      tracing: Tracing.ACTIVE,
      // Lambda's default, said aloud: a function that keeps sending to the queue that invokes it is stopped at
      // about its 16th invocation in one chain. The one loop we mean, the router putting back a change that
      // waits for its message, makes 7 (lambdas/router/overtaken.ts); any other is a fault to stop.
      // https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
      recursiveLoop: RecursiveLoop.TERMINATE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environment: {
        // Kept: stack traces in the logs point at our TypeScript (file, line, column). With the maps kept
        // small (no sources inside, below) it cost ingest's cold start 0 to 17 ms when its map was 1.2 MiB
        // (98 KiB now), within the noise of two runs of bench/cold-start.ts; with the sources inside, about
        // 20 ms more. The first stack trace a process writes (an error out of the handler, or one the
        // operator API logs) decodes the map, once per environment: 43 to 91 ms of CPU for the maps of 0.8
        // to 1.4 MiB, every function's but ingest's (16 to 18 ms; docs/benchmarks.md).
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: id.toLowerCase(),
        CONFIG_FILE: 'config.json',
        ...props.environment,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        // The code runs on Node 20 locally and on Node 22 in Lambda: target the older one.
        target: 'node20',
        minify: true,
        sourceMap: true,
        // Mappings only: the sources are in the repository. A third of the map's size, and of its load.
        sourcesContent: false,
        // The AWS SDK in the bundle, tree-shaken, instead of the runtime's copy: one file to parse instead of
        // hundreds of modules to resolve and load, the unused clients and commands left out (a lazily
        // imported one is only parsed), and the SDK version the tests ran with. Ingest's cold start went
        // from about 345 ms to about 215 ms, the consumers' by about 100 ms (docs/benchmarks.md).
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        // Some dependencies still call require(); ESM bundles need it defined.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [
            `cp "${props.configFile}" "${output}/config.json"`,
          ],
        },
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the team settled on; newer runtimes are adopted deliberately, not by default. ' +
        'Lambda deprecates nodejs22.x on 30 April 2027 (updates blocked from 1 July 2027): move to nodejs24.x ' +
        'before then (docs/runbook.md, "Runtimes").',
    });
  }
}
