import { type CallbackConfig, parseCallbackConfig } from '../domain/config/callback-config.js';
import { readConfigJson } from './config-file.js';
import { environment } from './environment.js';

/**
 * Ingest's part of the configuration, read on its cold start without zod (callback-config.ts says why the
 * rest is validated elsewhere); a bad part stops the cold start with its problems.
 */
export function loadCallbackConfig(file = environment.configFile()): CallbackConfig {
  return parseCallbackConfig(readConfigJson(file), file);
}
