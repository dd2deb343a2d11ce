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
  /** The SNS topic the escalator notifies departments through. */
  escalationTopicArn: () => requireEnv('ESCALATION_TOPIC_ARN'),
  /** The configuration file: bundled beside the handler in AWS, under config/ locally. */
  configFile: () => process.env.CONFIG_FILE ?? 'config/local.json',
  /** Set by the local runtime only: secrets from a file instead of SSM Parameter Store. */
  localSecretsFile: () => process.env.LOCAL_SECRETS_FILE,
};
