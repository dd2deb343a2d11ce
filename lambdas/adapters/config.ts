import { type AppConfig, parseAppConfig } from '../domain/config/schema.js';
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
