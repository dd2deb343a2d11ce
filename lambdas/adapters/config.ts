import { type AppConfig, parseAppConfig } from '../domain/config/schema.js';
import { calendarYearsDue } from '../domain/sla/index.js';
import { systemClock } from './clock.js';
import { readConfigJson } from './config-file.js';
import { environment } from './environment.js';

let cached: AppConfig | undefined;

/** Reads and validates the configuration once per container; a bad file stops the cold start with its problems. */
export function loadConfig(file = environment.configFile()): AppConfig {
  if (cached && file === environment.configFile()) return cached;
  const config = readConfigFile(file);
  if (file === environment.configFile()) cached = config;
  return config;
}

export function readConfigFile(file: string): AppConfig {
  return parseAppConfig(readConfigJson(file), file);
}

/**
 * A stage that keeps data with no console address: its deadline e-mails name each inquiry by its case number
 * and its id (`Идентификатор для оператора`), with no link a head can follow.
 */
export function operatorConsoleWarnings(config: AppConfig): string[] {
  if (config.disposable || config.operatorConsoleUrl !== undefined) return [];
  return [
    'operatorConsoleUrl is not set: the deadline e-mails to departments carry no link to each inquiry, only its case number and id for an operator to look up. Set it to the console address of an inquiry, with {inquiryId} (docs/runbook.md, "First deploy of a stage")',
  ];
}

/**
 * What `cdk synth` and `npm start` warn of: a community's calendar that does not list this year, or in
 * December the next, so that the yearly update of the production calendar (config/calendars/README.md) is not
 * forgotten. A warning, not a refusal: a deploy must stay possible before the government publishes the next
 * year's calendar, and the router counts every deadline it computes across an unlisted year.
 */
export function calendarWarnings(config: AppConfig, today = systemClock.now()): string[] {
  return config.communities.flatMap((community) => {
    const missing = calendarYearsDue(today, community.calendar);
    if (missing.length === 0) return [];
    const listed = [...community.calendar.coveredYears].sort().join(', ');
    return [
      `community ${community.groupId}: the calendar lists no holidays for ${missing.join(', ')} (it lists ${listed}): deadlines will ignore that year's holidays and moved working days. Add the year to its calendar (config/calendars/README.md, "Yearly update")`,
    ];
  });
}
