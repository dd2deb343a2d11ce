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

/**
 * Calls the operator API of a running local runtime over HTTP with an operator's token: the answer's status
 * and JSON body. `runtime` is read at each call, since tests start it in `beforeAll`.
 */
export const operatorOverHttp =
  (runtime: () => LocalRuntime, token: string) =>
  async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${runtime().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers are JSON read by each test as it expects them
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
