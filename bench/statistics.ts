/**
 * Statistics benchmark: the counting alone (inquiries of one department and community, in memory), then a
 * month of one department read from dynalite through the statistics use case: its time and CPU, its
 * Queries, the bytes of items the reads handed to our code and the heap it took. dynalite is not DynamoDB:
 * the CPU and the heap are what our side costs; the time is mostly dynalite's, not what AWS takes to read.
 * Usage: npm run bench:statistics
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readConfigFile } from '../lambdas/adapters/config.js';
import { toInquiryItem } from '../lambdas/adapters/inquiry-items.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../lambdas/adapters/outbox-queue.js';
import type { Inquiry } from '../lambdas/domain/inquiry/inquiry.js';
import { statisticsOf } from '../lambdas/domain/operator/statistics.js';
import { statistics } from '../lambdas/operator-api/use-cases/statistics.js';
import { createInquiryTable, localDynamoClient, localSqsClient, openEmulators } from '../local/emulators.js';
import { benchArguments } from './support/command-line.js';
import { round } from './support/stats.js';

benchArguments(
  'bench:statistics',
  `The statistics benchmark (docs/benchmarks.md): the counting alone, in memory, then a month of one department
read from dynalite through the operator API's statistics: time, CPU, Queries, bytes and heap. Prints the
figures; bench/results/ is left as it is.

  npm run bench:statistics`,
);

const COUNTED = [10_000, 40_000, 80_000, 200_000];
const READ = 20_000;
const MONTH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
const NOW = new Date('2026-04-15T00:00:00.000Z');
const TEXT =
  'Здравствуйте! Во дворе дома 12 по улице Ленина вторую неделю не вывозят мусор, контейнеры переполнены, ' +
  'мешки лежат на земле. Просим принять меры и сообщить, когда вывезут.';

const CONFIG = readConfigFile('config/local.json');
/** The community config/local.json configures: its inquiries are counted in working minutes too. */
const COMMUNITY = CONFIG.communities[0]?.groupId ?? 1;

/** The n-th of `total` inquiries of a month of the housing department: answered, late, overdue or open. */
function inquiry(n: number, total: number, groups = 3): Inquiry {
  const opened = Date.parse('2026-03-01T00:00:00.000Z') + Math.floor((n / total) * 31 * 86_400_000);
  const createdAt = new Date(opened).toISOString();
  const dueAt = new Date(opened + 9 * 3_600_000).toISOString();
  const responded = n % 3 === 0 ? undefined : new Date(opened + ((n * 7919) % 600) * 60_000).toISOString();
  const status = (['routed', 'in_progress', 'answered', 'closed', 'reopened'] as const)[n % 5] ?? 'routed';
  return {
    id: `inq-${String(n).padStart(7, '0')}`,
    groupId: n % groups === 0 ? COMMUNITY : 1 + (n % groups),
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 1000 + n },
    conversationKey: `dm:${1000 + n}`,
    authorId: 1000 + n,
    text: TEXT,
    status,
    category: n % 2 ? 'waste' : 'housing',
    priority: 'normal',
    confidence: 0.9,
    triage: false,
    department: 'housing',
    terms: { firstResponseHours: 9, resolutionHours: 72 },
    clock: {
      kind: 'first_response',
      cycle: 1,
      startedAt: createdAt,
      dueAt,
      warnAt: dueAt,
      warned: true,
      breached: false,
    },
    clockCount: 1,
    firstResponseStartedAt: createdAt,
    firstResponseDueAt: dueAt,
    ...(responded && { firstRespondedAt: responded, firstResponseLate: responded > dueAt }),
    // An intermediate answer in progress, the answer of an answered or closed one.
    ...(responded &&
      status === 'in_progress' && { resolutionDueAt: new Date(opened + 3 * 86_400_000).toISOString() }),
    ...(responded && (status === 'answered' || status === 'closed') && { answeredAt: responded }),
    escalated: false,
    messageCount: 2,
    lastMessageAt: createdAt,
    reopenCount: 0,
    createdAt,
    updatedAt: createdAt,
    version: 3,
    sourceEventKey: `msg:1:${n}`,
    causes: [`msg:1:${n}`, `op:housing-1:take:${n}`, `op:housing-1:reply:${n}`],
  };
}

for (const count of COUNTED) {
  const inquiries = Array.from({ length: count }, (_, n) => inquiry(n, count, 1));
  globalThis.gc?.();
  const started = performance.now();
  statisticsOf(inquiries, NOW, () => CONFIG.communities[0]?.calendar);
  console.log(
    `counting ${count.toLocaleString('en')} inquiries of one department and community, in working minutes too: ${round(performance.now() - started, 0)} ms`,
  );
}

// dynalite in a process of its own: the CPU time and the heap measured are the reading and counting alone.
const emulators = await openEmulators('child-process', {});
try {
  const tableName = 'bench-statistics';
  const dynamo = localDynamoClient(emulators.dynamoEndpoint);
  await createInquiryTable(dynamo, tableName);
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  let queries = 0;
  let bytes = 0;
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'QueryCommand') {
        queries++;
        bytes += JSON.stringify((result.output as { Items?: unknown[] }).Items ?? []).length;
      }
      return result;
    },
    { name: 'countQueries', step: 'initialize' },
  );
  for (let start = 0; start < READ; start += 25)
    await documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName]: Array.from({ length: Math.min(25, READ - start) }, (_, n) => ({
            PutRequest: { Item: toInquiryItem(inquiry(start + n, READ)) },
          })),
        },
      }),
    );
  const deps = {
    config: CONFIG,
    inquiries: new DynamoInquiryRepository(documents, tableName),
    queries: new DynamoOperatorQueries(documents, tableName),
    outbox: new SqsOutbox(localSqsClient(emulators.sqsEndpoint), 'http://127.0.0.1:9/unused'),
    clock: { now: () => NOW },
  };
  for (const round of [1, 2, 3]) {
    queries = 0;
    bytes = 0;
    globalThis.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 2);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const answer = await statistics(
      {
        operator: { id: 'bench', name: 'bench', admin: true, departments: [] },
        params: {},
        query: { ...MONTH, department: 'housing' },
        body: {},
        idempotencyKey: 'bench',
      },
      deps,
    );
    const took = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    const counted = (answer.body as { groups: { total: number }[] }).groups.reduce(
      (sum, group) => sum + group.total,
      0,
    );
    console.log(
      `round ${round}: a month of ${READ.toLocaleString('en')} inquiries read from dynalite and counted (${counted}): ` +
        `${Math.round(took)} ms (our CPU ${Math.round((user + system) / 1000)} ms), ${queries} Queries, ${(bytes / 1e6).toFixed(1)} MB of items handed over, ` +
        `heap peak +${Math.round((peak - base) / 1e6)} MB${globalThis.gc ? '' : ' (run with --expose-gc to settle the heap first)'}`,
    );
  }
} finally {
  await emulators.stop();
}
