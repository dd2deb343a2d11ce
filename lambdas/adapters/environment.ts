/** The environment a function runs in, read in one place. A missing variable stops the cold start loudly. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const environment = {
  tableName: () => requireEnv('TABLE_NAME'),
  eventsQueueUrl: () => requireEnv('EVENTS_QUEUE_URL'),
  routingQueueUrl: () => requireEnv('ROUTING_QUEUE_URL'),
  /** Where the router puts a change whose message is still missing once it has waited for it (overtaken.ts). */
  routingDeadLetterQueueUrl: () => requireEnv('ROUTING_DEAD_LETTER_QUEUE_URL'),
  /** The SNS topic the escalator notifies departments through. */
  escalationTopicArn: () => requireEnv('ESCALATION_TOPIC_ARN'),
  /** The configuration file: bundled beside the handler in AWS, under config/ locally. */
  configFile: () => process.env.CONFIG_FILE ?? 'config/local.json',
  /** Set by the local runtime only: secrets from a file instead of SSM Parameter Store. */
  localSecretsFile: () => process.env.LOCAL_SECRETS_FILE,
  /**
   * The port of the AWS Parameters and Secrets Lambda Extension, set when the function has its layer (the CDK
   * sets it with the layer); unset elsewhere.
   */
  parametersSecretsExtensionPort: () => process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
  /** The session token of the function's role: what the extension checks each request against. */
  awsSessionToken: () => process.env.AWS_SESSION_TOKEN,
  awsRegion: () => requireEnv('AWS_REGION'),
  /** The function's credentials, as Lambda (or the local runtime) provides them. */
  awsCredentials: () => ({
    accessKeyId: requireEnv('AWS_ACCESS_KEY_ID'),
    secretAccessKey: requireEnv('AWS_SECRET_ACCESS_KEY'),
    sessionToken: process.env.AWS_SESSION_TOKEN || undefined,
  }),
  /** SQS elsewhere than AWS (the emulator): the SDK's own variable, so both senders go to the same place. */
  sqsEndpoint: () => process.env.AWS_ENDPOINT_URL_SQS || undefined,
};
