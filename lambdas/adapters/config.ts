import { invalidConfiguration } from '../domain/config/config-error.js';
import { type AppConfig, parseAppConfig } from '../domain/config/schema.js';
import { calendarYearsDue } from '../domain/sla/index.js';
import { systemClock } from './clock.js';
import { readConfigJson } from './config-file.js';
import { environment } from './environment.js';

let cached: AppConfig | undefined;

/**
 * Reads and validates the configuration once per container; a bad file stops the cold start with its problems.
 * A calendar that has run out is not one of them: it was refused at synth, and a function must start whatever
 * the date (its deadlines then warn, see the router).
 */
export function loadConfig(file = environment.configFile()): AppConfig {
  if (cached && file === environment.configFile()) return cached;
  const config = parseAppConfig(readConfigJson(file), file);
  if (file === environment.configFile()) cached = config;
  return config;
}

/**
 * Reads and validates the configuration as `cdk synth`, `npm start` and the ops tools do: also refused when a
 * community's calendar does not list this year, or in December the next, so that the yearly update of the
 * production calendar (config/calendars/README.md) is not forgotten.
 */
export function readConfigFile(file: string, today = systemClock.now()): AppConfig {
  const config = parseAppConfig(readConfigJson(file), file);
  const problems = config.communities.flatMap((community, index) => {
    const missing = calendarYearsDue(today, community.calendar);
    if (missing.length === 0) return [];
    const listed = [...community.calendar.coveredYears].sort().join(', ');
    return [
      {
        path: ['communities', index, 'calendar'],
        message: `the calendar lists no holidays for ${missing.join(', ')} (it lists ${listed}): deadlines would ignore that year's holidays and moved working days. Add the year to its calendar (config/calendars/README.md, "Yearly update")`,
      },
    ];
  });
  if (problems.length > 0) throw invalidConfiguration(file, problems);
  return config;
}
