import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault-injection suite is slow by design: `npm run test:faults` (vitest.faults.config.ts).
    exclude: ['test/faults/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and end-to-end tests start their own emulators on random ports: files may run in parallel.
    pool: 'forks',
    // At least two files at a time. The slowest files mostly wait (batching windows, rate limits, timeouts
    // waited out for real): under half of their time is CPU. Vitest's default, one worker less than the
    // cores, runs one file at a time on a 2-core machine, as CI's is; two take a fifth to two fifths off the
    // run there, three no more than two.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Tests run on Node 20 (Lambda runs 22): the SDK's reminder about that is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
