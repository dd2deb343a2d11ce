import { atMostAtOnce } from '../../domain/concurrency.js';
import { departmentsInScope } from '../../domain/operator/access.js';
import type { DepartmentWorkload } from '../../domain/operator/workload.js';
import { workloadOverview, workloadRow } from '../../domain/operator/workload-overview.js';
import { answer, type NoInput, READ_BUDGET_SECONDS, type RouteDeps, type UseCase } from '../api.js';
import { countOpenWork } from '../open-work.js';

/**
 * How many departments' open work is read at once: each is its own partition of gsi1, so they do not slow
 * one another; a few at a time keep the pages in memory and the SDK's connections few. Forty departments of
 * a page or two each take about a second.
 */
export const DEPARTMENTS_READ_AT_ONCE = 4;

/**
 * GET /api/v1/workload: the open work of every department the operator may see (an admin: every configured
 * one, triage too; an operator: theirs; one of none: none), a row each, as its own workload counts it at the
 * same moment, the most behind first, with their totals. The departments are read a few at a time within one
 * READ_BUDGET_SECONDS; one not read to its end in it is named in `unfinished`, and given a row of null figures
 * rather than counted in part, and the rest are answered: a 422 would hide the whole region on the morning one
 * department is swamped.
 */
export const getWorkloadOverview: UseCase<NoInput, NoInput, RouteDeps> = async (request, deps) => {
  const configured = deps.config.departments;
  const scope = departmentsInScope(
    request.operator,
    configured.map((department) => department.id),
    undefined,
  );
  // Asked for no department, the scope is never `unknown` nor `forbidden`.
  const departments = Array.isArray(scope) ? scope : [];
  const now = deps.clock.now();
  const readUntil = now.getTime() + READ_BUDGET_SECONDS * 1000;
  const inTime = () => deps.clock.now().getTime() <= readUntil;
  const counted = new Map<string, DepartmentWorkload>();
  await atMostAtOnce(
    departments,
    DEPARTMENTS_READ_AT_ONCE,
    async (department) => {
      const workload = await countOpenWork(deps.queries, department, now, inTime);
      if (workload) counted.set(department, workload);
    },
    inTime,
  );
  const nameOf = (id: string) => configured.find((department) => department.id === id)?.name ?? id;
  const unfinished = departments.filter((department) => !counted.has(department));
  // Answered 200, the access log says nothing of it: ops are told, by the departments' ids, that the read
  // budget no longer covers every department's open work (docs/operator-api.md, "Every department's open work").
  if (unfinished.length > 0)
    deps.logWarning?.('operator API: workload overview: some departments’ open work not read in time', {
      unfinished,
      counted: counted.size,
      readBudgetSeconds: READ_BUDGET_SECONDS,
    });
  return answer(
    200,
    workloadOverview(
      now.toISOString(),
      [...counted.values()].map((workload) => workloadRow(workload, nameOf(workload.department))),
      unfinished.map((department) => ({ department, name: nameOf(department) })),
    ),
  );
};
