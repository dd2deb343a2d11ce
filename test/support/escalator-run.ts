import type { Context } from 'aws-lambda';
import { vi } from 'vitest';
import type { EscalationNotifier } from '../../lambdas/domain/ports.js';

/**
 * The escalator's handler, loaded afresh (it reads its environment when loaded), run once at `at` with
 * `notifier`, as the schedule invokes it: what it wrote to stdout and stderr, line by line, the lines that are
 * JSON (its log lines and metrics) parsed, and what it threw, if anything.
 */
export async function escalatorRunAt(
  at: string,
  notifier: EscalationNotifier,
): Promise<{ lines: string[]; logged: Record<string, unknown>[]; thrown: unknown }> {
  vi.resetModules();
  const { createEscalatorHandler } = await import('../../lambdas/escalator/handler.js');
  const handler = createEscalatorHandler({ clock: { now: () => new Date(at) }, notifier });
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  };
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const writeError = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  let thrown: unknown;
  try {
    await handler({}, {
      functionName: 'escalator',
      awsRequestId: at,
      getRemainingTimeInMillis: () => 60_000,
    } as Context);
  } catch (error) {
    thrown = error;
  } finally {
    write.mockRestore();
    writeError.mockRestore();
  }
  const logged = lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, logged, thrown };
}
