import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.js';

/**
 * The local runtime with the demo configuration, on a free port, the functions' logs silenced: what the
 * end-to-end tests run against. Options override the defaults (an escalator interval, a movable clock…).
 */
export const startDemoRuntime = (options: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> =>
  startLocalRuntime({
    port: 0,
    configFile: 'config/local.json',
    secretsFile: 'config/local.secrets.json',
    logLevel: 'SILENT',
    ...options,
  });
