import localConfig from '../../config/local.json';
import { type AppConfig, parseAppConfig } from '../../lambdas/domain/config/schema.js';

/**
 * The local configuration once `department` is removed, its routing rules with it: what a deploy leaves
 * when a department goes before `departments:move` has handed on its inquiries, which stay under its id.
 */
export function localConfigWithout(department: string): AppConfig {
  return parseAppConfig(
    {
      ...localConfig,
      departments: localConfig.departments.filter(({ id }) => id !== department),
      routing: localConfig.routing.filter((rule) => rule.department !== department),
    },
    'local',
  );
}
