import { App } from 'aws-cdk-lib';
import { temporaryDirectory } from './temp-dir.js';

/**
 * A CDK app for template assertions, its functions' code not bundled: esbuild on every function takes about
 * half of a synth's time, and no assertion reads the code (`cdk synth`, in CI too, bundles it all). The
 * context is the one the CLI sets to bundle only the stacks it deploys; CDK's assertions have no switch of
 * their own (https://github.com/aws/aws-cdk/issues/18125). A test that reads a bundle passes
 * `{ 'aws:cdk:bundling-stacks': ['**'] }`.
 */
export const unbundledApp = (context: Record<string, unknown> = {}): App =>
  new App({ outdir: assemblyDirectory(), context: { 'aws:cdk:bundling-stacks': [], ...context } });

/**
 * Where an app's cloud assembly is written, removed after its test. Without an outdir CDK makes a
 * `/tmp/cdk.outXXXXXX` for every app and removes it only on a clean process exit, which vitest's workers
 * do not make: a run of the infrastructure tests left hundreds of them, megabytes each.
 */
const assemblyDirectory = (): string => temporaryDirectory('cdk.out-');
