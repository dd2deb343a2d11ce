/**
 * The escalator on a backlog: a weekend's inquiries of four departments, all overdue together on Monday, and
 * one critical inquiry routed after them into the department the run takes up last. One run of the real
 * escalator with the production time budget (ESCALATOR in lib/resources.ts: it stops taking up work
 * `stopBeforeTimeoutSeconds` before its timeout, as the handler does), each of its DynamoDB calls made
 * `BENCH_DYNAMO_MS` (8) longer. Prints the inquiries checked, checks per second, whether the critical one was
 * told, each department's checks and the run's wall time.
 * Usage: npm run bench:escalator
 */
import { pathToFileURL } from 'node:url';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readConfigJson } from '../lambdas/adapters/config-file.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { recordingNotifier } from '../lambdas/adapters/notifier.js';
import { dynamoRunLease } from '../lambdas/adapters/run-lease.js';
import { type AppConfig, parseAppConfig } from '../lambdas/domain/config/schema.js';
import type { InquiryRepository } from '../lambdas/domain/ports.js';
import type { Category, Priority } from '../lambdas/domain/taxonomy.js';
import { createEscalator, firstDepartmentOf } from '../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../lambdas/router/route-message.js';
import { ESCALATOR } from '../lib/resources.js';
import { createInquiryTable, localDynamoClient, openEmulators } from '../local/emulators.js';
import { classifiedDirectMessage } from '../test/support/inquiries.js';
import { benchArguments } from './support/command-line.js';
import { round } from './support/stats.js';

/**
 * Added to each of the escalator's DynamoDB calls: a call within an AWS region takes a few milliseconds,
 * while dynalite on 127.0.0.1 answers in under one, which would hide what the run's calls one after another
 * cost. The set-up writes at the emulator's own pace.
 */
const DYNAMO_MS = Number(process.env.BENCH_DYNAMO_MS ?? 8);
/** The backlog: a weekend's `high` inquiries, shared evenly by the four departments. */
const BACKLOG = 2000;
const BACKLOG_DEPARTMENTS: Category[] = ['housing', 'roads', 'transport', 'ecology'];
/** Routed at once, side by side, as a router's batches are. */
const ROUTED_AT_ONCE = 25;
/**
 * Saturday 13 June 2026, 09:00 in Perm (UTC+5), one inquiry a minute: the clock stands still out of working
 * hours, so every one of them is overdue together on Monday at 13:00, four working hours on.
 */
const WEEKEND = Date.parse('2026-06-13T04:00:00.000Z');
/** Monday 15 June, 16:55 in Perm: the critical inquiry comes in; the run is at 17:00. */
const CRITICAL_AT = '2026-06-15T11:55:00.000Z';
const RUN_AT = new Date('2026-06-15T12:00:00.000Z');

/**
 * config/local.json with a department of its own for transport (roads' until then) and one for ecology: four
 * departments with a backlog, and triage with none. Validated as the functions validate theirs.
 */
function fourDepartments(): AppConfig {
  const raw = readConfigJson('config/local.json') as {
    departments: { id: string; name: string; notify: string[] }[];
    routing: { category: string; department: string }[];
  };
  for (const [id, name] of [
    ['transport', 'Департамент транспорта'],
    ['ecology', 'Департамент экологии'],
  ] as const) {
    raw.departments.push({ id, name, notify: [`${id}@example.org`] });
    raw.routing = [{ category: id, department: id }, ...raw.routing.filter((rule) => rule.category !== id)];
  }
  return parseAppConfig(raw, 'config/local.json, with transport and ecology departments');
}

export interface EscalatorBacklogFigures {
  dynamoMs: number;
  backlog: number;
  /** The production budget: the run takes up work for `timeoutSeconds - stopBeforeTimeoutSeconds`. */
  budget: { timeoutSeconds: number; stopBeforeTimeoutSeconds: number };
  checked: number;
  checksPerSecond: number;
  /** Whether the critical inquiry routed behind the backlog was in an e-mail of the run. */
  criticalTold: boolean;
  /** The department the critical inquiry went to: the last of the four the run takes up. */
  criticalDepartment: string;
  /** Inquiries checked, by department, in the order the run takes them up. */
  checksByDepartment: Record<string, number>;
  digests: number;
  notified: number;
  departmentsLeft: number;
  checksLeft: number;
  failed: number;
  runSeconds: number;
  seedSeconds: number;
}

/** Seeds the backlog through the real router, then times one escalator run against it. */
export async function escalatorBacklog(): Promise<EscalatorBacklogFigures> {
  const config = fourDepartments();
  const emulators = await openEmulators('child-process', {});
  try {
    const tableName = 'bench-escalator';
    const dynamo = localDynamoClient(emulators.dynamoEndpoint);
    await createInquiryTable(dynamo, tableName);
    const documents = () =>
      DynamoDBDocumentClient.from(localDynamoClient(emulators.dynamoEndpoint), {
        marshallOptions: { removeUndefinedValues: true },
      });
    const setUp = new DynamoInquiryRepository(documents(), tableName);

    let peer = 100_000;
    const departmentOf = new Map<string, string>();
    async function writes(category: Category, priority: Priority, at: string) {
      const peerId = ++peer;
      const message = classifiedDirectMessage({
        peerId,
        eventKey: `bench-${peerId}`,
        text: 'Яма',
        category,
        at,
      });
      message.classification.priority = priority;
      const router = createMessageRouter({
        config,
        inquiries: setUp,
        clock: { now: () => new Date(at) },
        inquiryIdFor: (_groupId, eventKey) => `escalator-${eventKey}`,
      });
      const { inquiryId } = await router.routeCitizenMessage(message);
      const inquiry = await setUp.getInquiry(inquiryId);
      if (!inquiry?.department) throw new Error(`inquiry ${inquiryId} was not routed`);
      departmentOf.set(inquiryId, inquiry.department);
      return inquiryId;
    }

    const seeded = performance.now();
    for (let start = 0; start < BACKLOG; start += ROUTED_AT_ONCE)
      await Promise.all(
        Array.from({ length: Math.min(ROUTED_AT_ONCE, BACKLOG - start) }, (_, offset) => {
          const n = start + offset;
          const category = BACKLOG_DEPARTMENTS[n % BACKLOG_DEPARTMENTS.length] as Category;
          return writes(category, 'high', new Date(WEEKEND + n * 60_000).toISOString());
        }),
      );
    // The critical one goes to the backlog's department the run comes to last.
    const first = firstDepartmentOf(RUN_AT, config.departments.length);
    const order = [...config.departments.slice(first), ...config.departments.slice(0, first)].map(
      (department) => department.id,
    );
    // (Each category of the backlog goes to the department of its name.)
    const lastCategory = BACKLOG_DEPARTMENTS.reduce((last, category) =>
      order.indexOf(category) > order.indexOf(last) ? category : last,
    );
    const critical = await writes(lastCategory, 'critical', CRITICAL_AT);
    const seedSeconds = (performance.now() - seeded) / 1000;

    // The escalator's client alone is slowed, as the handler's would be by the region's round trip.
    const slowed = documents();
    slowed.middlewareStack.add(
      (next) => async (args) => {
        await new Promise((resolve) => setTimeout(resolve, DYNAMO_MS));
        return next(args);
      },
      { name: 'regionLatency', step: 'initialize' },
    );
    const repository = new DynamoInquiryRepository(slowed, tableName);
    // A check reads its inquiry first: the ids read, by department, are the run's checks.
    const checkedIds = new Set<string>();
    const inquiries: InquiryRepository = Object.create(repository);
    inquiries.getInquiry = (id) => {
      checkedIds.add(id);
      return repository.getInquiry(id);
    };
    const notifier = recordingNotifier();
    const escalate = createEscalator({
      config,
      inquiries,
      clock: { now: () => RUN_AT },
      notifier,
      lease: dynamoRunLease(slowed, tableName, 'escalator'),
    });
    // As the handler: no more work taken up once the time left is the time kept for sending.
    const started = performance.now();
    const stopAt = started + (ESCALATOR.timeoutSeconds - ESCALATOR.stopBeforeTimeoutSeconds) * 1000;
    const run = await escalate(() => performance.now() < stopAt);
    const runSeconds = (performance.now() - started) / 1000;

    const checksByDepartment: Record<string, number> = {};
    for (const id of order) if (BACKLOG_DEPARTMENTS.includes(id as Category)) checksByDepartment[id] = 0;
    for (const id of checkedIds) {
      const department = departmentOf.get(id) ?? 'unknown';
      checksByDepartment[department] = (checksByDepartment[department] ?? 0) + 1;
    }
    return {
      dynamoMs: DYNAMO_MS,
      backlog: BACKLOG,
      budget: {
        timeoutSeconds: ESCALATOR.timeoutSeconds,
        stopBeforeTimeoutSeconds: ESCALATOR.stopBeforeTimeoutSeconds,
      },
      checked: run.checked,
      checksPerSecond: Math.round(run.checked / runSeconds),
      criticalTold: notifier.sent.some((digest) =>
        digest.notifications.some((notice) => notice.inquiryId === critical),
      ),
      criticalDepartment: departmentOf.get(critical) ?? 'unknown',
      checksByDepartment,
      digests: run.digests,
      notified: run.notified,
      departmentsLeft: run.departmentsLeft,
      checksLeft: run.checksLeft,
      failed: run.failed,
      runSeconds: round(runSeconds, 1),
      seedSeconds: round(seedSeconds, 1),
    };
  } finally {
    await emulators.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchArguments(
    'bench:escalator',
    `The escalator on a backlog (docs/benchmarks.md): ${BACKLOG.toLocaleString('en')} overdue inquiries of four
departments and one critical inquiry routed after them, one run with the production time budget
(ESCALATOR in lib/resources.ts); the inquiries checked, checks per second, whether the critical one was told,
each department's checks and the run's wall time. BENCH_DYNAMO_MS (default 8) is the time added to each of
the escalator's DynamoDB calls. Prints the figures; bench/results/ is left as it is.

  npm run bench:escalator`,
  );
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const figures = await escalatorBacklog();
  const { timeoutSeconds, stopBeforeTimeoutSeconds } = figures.budget;
  console.log(
    [
      `${figures.backlog.toLocaleString('en')} overdue inquiries over ${Object.keys(figures.checksByDepartment).length} departments (routed in ${figures.seedSeconds} s), one critical routed last into ${figures.criticalDepartment}; each DynamoDB call of the run ${figures.dynamoMs} ms longer`,
      `one run, ${timeoutSeconds} s timeout, work taken up for ${timeoutSeconds - stopBeforeTimeoutSeconds} s: ${figures.runSeconds} s wall time`,
      `checked ${figures.checked.toLocaleString('en')} inquiries, ${figures.checksPerSecond} checks/s`,
      `critical inquiry told: ${figures.criticalTold ? 'yes' : 'NO'}`,
      `checks by department, in the run's order: ${Object.entries(figures.checksByDepartment)
        .map(([department, checks]) => `${department} ${checks}`)
        .join(', ')}`,
      `${figures.notified} notified in ${figures.digests} e-mails; ${figures.departmentsLeft} departments left with ${figures.checksLeft} due; ${figures.failed} failed`,
    ].join('\n'),
  );
  process.exit(0);
}
