import { type ChildProcess, spawn } from 'node:child_process';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry point with tsx in a child process, as `npm run` would from an ops engineer's shell
 * (without the variable CI sets to quiet the AWS SDK's notice about Node versions), and collects its output.
 *
 * It runs in one process (`node --import tsx`), not under tsx's own wrapper, which adds a second Node process
 * that only relays: a tenth of a second of CPU per run saved, and the signal `started` lets a test send
 * reaches the command's own process, as Ctrl-C in a shell does. Through the wrapper it would
 * reach the wrapper only, which relays it and kills the command unless the command says within 30 ms that it
 * got it: on a busy machine the wrapper then exits 130 itself, before the command could say a word.
 */
export function runTsx(
  entry: string,
  args: string[],
  input?: string,
  env: Record<string, string> = {},
  /** Told the child once started, to signal it. */
  started?: (child: ChildProcess) => void,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    started?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
