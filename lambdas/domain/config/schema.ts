/**
 * The configuration's schema, one module per section in schema/ and the checks across them in
 * schema/cross-checks.ts; the names the rest of the code imports, from one place.
 */
export { ConfigError } from './config-error.js';
export { DEFAULT_CALLBACK_SILENCE_HOURS, MAX_CALLBACK_SILENCE_HOURS } from './schema/alarms.js';
export { type AppConfig, appConfigSchema, parseAppConfig } from './schema/app-config.js';
export { AWS_REGION } from './schema/aws-region.js';
export { type Community, communitySchema } from './schema/community.js';
export { CONSOLE_URL_PLACEHOLDER } from './schema/console-url.js';
export { type Department, departmentSchema } from './schema/department.js';
export { operatorApiSchema } from './schema/operator-api.js';
export { INVITATION_PLACEHOLDERS, type OperatorMail } from './schema/operator-mail.js';
export {
  DEAD_LETTER_DAYS,
  DEFAULT_RETENTION,
  QUEUE_DAYS,
  type Retention,
  retentionSchema,
} from './schema/retention.js';
export { type RoutingRule, routingRuleSchema } from './schema/routing.js';
export { type SlaPolicy, slaSchema } from './schema/sla.js';
export { threadingSchema } from './schema/threading.js';
