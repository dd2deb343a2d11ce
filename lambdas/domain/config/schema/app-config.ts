import * as z from 'zod';
import { invalidConfiguration } from '../config-error.js';
import { alarmsSchema, DEFAULT_CALLBACK_SILENCE_HOURS } from './alarms.js';
import { AWS_REGION } from './aws-region.js';
import { communitySchema } from './community.js';
import { operatorConsoleUrlSchema } from './console-url.js';
import { checkAcrossSections } from './cross-checks.js';
import { departmentSchema } from './department.js';
import { escalationSchema } from './escalation.js';
import { localOperatorSchema } from './local-operators.js';
import { operatorApiSchema } from './operator-api.js';
import { operatorMailSchema } from './operator-mail.js';
import { DEFAULT_RETENTION, retentionSchema } from './retention.js';
import { routingRuleSchema } from './routing.js';
import { slaSchema } from './sla.js';
import { threadingSchema } from './threading.js';

/**
 * The product's configuration: communities, departments, routing and deadlines. One schema, checked when
 * `cdk synth` builds the stacks and again when a function or the local runtime starts.
 */
export const appConfigSchema = z
  .strictObject({
    /**
     * The AWS region the stage is deployed to, where citizens' data is kept; `cdk synth` needs it here or as
     * `-c region=…`. The functions do not read it.
     */
    region: z.string().regex(AWS_REGION, 'an AWS region such as eu-central-1').optional(),
    /**
     * true: the stage's data may go with its stacks (a developer's or a test stage): the table, the queues,
     * the keys and the operators' user pool are deleted with them, the table and the pool have no deletion
     * protection, logs are kept a month and ingest reserves no concurrency. Omitted or false (every stage
     * that holds citizens' data, whatever its name): all of it is retained and protected, and logs are kept a
     * year. Read by `cdk synth` only.
     */
    disposable: z
      .boolean({
        error:
          'true or false: true only for a stage whose data may be lost (dev, test); omit it for one that keeps data',
      })
      .default(false),
    communities: z.array(communitySchema).min(1),
    departments: z.array(departmentSchema).min(1),
    routing: z.array(routingRuleSchema),
    sla: slaSchema,
    threading: threadingSchema.default({ reopenClosedWithinHours: 72, newMatterOpensInquiry: true }),
    retention: retentionSchema.default(DEFAULT_RETENTION),
    /** Omitted: the deadline e-mails give no link, and write each inquiry's id beside its case number. */
    operatorConsoleUrl: operatorConsoleUrlSchema.optional(),
    /** Read by `cdk synth` only. */
    alarms: alarmsSchema.default({ notify: [], callbackSilenceHours: DEFAULT_CALLBACK_SILENCE_HOURS }),
    /** Read by `cdk synth` (the topic's subscriptions) and by the escalator (whom an e-mail names). */
    escalation: escalationSchema.default({ criticalNotify: [] }),
    /** Omitted: Cognito's own sender, in English, 50 mails a day; see operatorMailSchema. */
    operatorMail: operatorMailSchema.optional(),
    /**
     * An existing inquiry table the functions use instead of the Stateful stack's own: one restored from
     * point-in-time recovery, which always comes back as a new table (docs/runbook.md). Read by `cdk synth`
     * only. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/pointintimerecovery_restores.html
     */
    inquiryTable: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name: 3 to 255 letters, digits, _ . or -')
      .optional(),
    /** Read by `cdk synth` (API Gateway's CORS configuration) and by the local runtime, which answers the same. */
    operatorApi: operatorApiSchema.default({ allowedOrigins: [] }),
    /** The local runtime's stand-in for the Cognito user pool: never used in AWS. */
    localOperators: z.array(localOperatorSchema).optional(),
  })
  .superRefine(checkAcrossSections);

export type AppConfig = z.infer<typeof appConfigSchema>;

/** Validates raw configuration; the error names every problem with its path, e.g. `routing[2].department`. */
export function parseAppConfig(raw: unknown, source: string): AppConfig {
  const result = appConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw invalidConfiguration(source, result.error.issues);
}
