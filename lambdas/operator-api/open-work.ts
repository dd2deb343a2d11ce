import { type DepartmentWorkload, workloadAccumulator } from '../domain/operator/workload.js';
import type { OperatorApiDeps } from './api.js';

/**
 * A department's open work as of `now`, counted from its open inquiries (gsi1) page by page as they are read:
 * the one read both a department's workload and the overview of several make, so that their figures agree.
 * Undefined when `inTime` says no with a page still to read; the last page read, however late, is counted.
 */
export async function countOpenWork(
  queries: OperatorApiDeps['queries'],
  department: string,
  now: Date,
  inTime: () => boolean,
): Promise<DepartmentWorkload | undefined> {
  const accumulator = workloadAccumulator(department, now);
  for await (const { inquiries, more } of queries.openWork(department)) {
    accumulator.add(inquiries);
    if (more && !inTime()) return undefined;
  }
  return accumulator.workload();
}
