import { pathToFileURL } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Stops the command; annotate the constant with it, so that TypeScript knows nothing runs after a call. */
export type Failure = (message: string, code?: number) => never;

/** How an ops command stops: its name, then the message, on stderr, with the exit code given (1 by default). */
export const failureOf =
  (command: string): Failure =>
  (message, code = 1) => {
    console.error(`${command}: ${message}`);
    process.exit(code);
  };

/** The options of the command line; a mistake in it stops the command with the usage after it, exit code 2. */
export function optionsOf<const T extends Options>(
  options: T,
  usage: string,
  fail: Failure,
): ReturnType<typeof parseArgs<{ options: T }>>['values'] {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`, 2);
  }
}

/**
 * Runs the command's `main` when its file is the one node was started with (not when a test imports it), and
 * stops it with `fail` on an error, its message only. Ops run these on Node 20 as well (Lambda runs 22): the
 * AWS SDK's multi-line reminder about that is only noise here, as in local/main.ts.
 */
export function runAsCommand(moduleUrl: string, main: () => Promise<void>, fail: Failure): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
}
