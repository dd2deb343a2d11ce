import { readFileSync } from 'node:fs';
import { ConfigError } from '../domain/config/config-error.js';

/** The configuration file's JSON, not yet validated. */
export function readConfigJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read configuration ${file}: ${(error as Error).message}`);
  }
}
