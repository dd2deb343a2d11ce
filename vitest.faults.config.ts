import { defineConfig } from 'vitest/config';

/** The fault-injection suite (test/faults): slow by design, run with `npm run test:faults`, not `npm test`. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One case at a time: each starts its own emulators and loads the 2 cores.
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
