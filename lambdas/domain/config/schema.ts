/**
 * The configuration's schema, one module per section in schema/ and the checks across them in
 * schema/cross-checks.ts; the names the rest of the code imports, from one place.
 */
export { ConfigError } from './config-error.js';
export { DEFAULT_CALLBACK_SILENCE_HOURS, MAX_CALLBACK_SILENCE_HOURS } from './schema/alarms.js';
export { type AppConfig, parseAppConfig } from './schema/app-config.js';
export { AWS_REGION } from './schema/aws-region.js';
export type { Community } from './schema/community.js';
export { CONSOLE_URL_PLACEHOLDER } from './schema/console-url.js';
export { type Department, NAME_MAX_LENGTH } from './schema/department.js';
export type { OperatorMail } from './schema/operator-mail.js';
export { DEAD_LETTER_DAYS, QUEUE_DAYS } from './schema/retention.js';
export type { RoutingRule } from './schema/routing.js';
export type { SlaPolicy } from './schema/sla.js';
