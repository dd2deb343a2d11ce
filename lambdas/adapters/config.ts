import { readFileSync } from 'node:fs';
import { type AppConfig, ConfigError, parseAppConfig } from '../domain/config/schema.js';
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
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read configuration ${file}: ${(error as Error).message}`);
  }
  return parseAppConfig(raw, file);
}
