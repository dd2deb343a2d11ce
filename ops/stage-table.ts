import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../lambdas/domain/config/schema.js';

/**
 * The client of a stage's table for the ops commands: in the configuration's region (the stacks'), not the
 * AWS profile's, since the table is where the stacks are; AWS_REGION counts only for a configuration that
 * names none.
 */
export const stageDocumentClient = (config: AppConfig) =>
  DynamoDBDocumentClient.from(new DynamoDBClient(config.region ? { region: config.region } : {}), {
    marshallOptions: { removeUndefinedValues: true },
  });
