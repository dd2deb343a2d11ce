/**
 * HTTP benchmarks: each server in its own process, the load generator (autocannon) in another, on 127.0.0.1,
 * at a fixed number of connections for a bounded time, after a short warm-up.
 */
import { type Child, runChild, startChild } from './support/child.js';
import { cpuMsOf } from './support/process-cpu.js';
import { median, round } from './support/stats.js';

export const CONNECTIONS = 32;
export const SECONDS = 8;
const WARM_UP_SECONDS = 2;

export interface LoadFigures {
  requestsPerSecond: number;
  total: number;
  ok: number;
  notOk: number;
  latencyMs: { p50: number; p99: number; max: number };
  seconds: number;
}

/** Runs the load generator once against `url`; event numbers start at `first` so that no two runs collide. */
export const load = (
  url: string,
  settings: { seconds: number; first: number; rate?: number; connections?: number },
  answersFile?: string,
) =>
  runChild<LoadFigures>('../load.ts', {
    BENCH_LOAD: JSON.stringify({ url, connections: CONNECTIONS, ...settings }),
    ...(answersFile && { BENCH_ANSWERS_FILE: answersFile }),
  });

const summary = (figures: LoadFigures, serverCpuMs?: number) => ({
  requestsPerSecond: round(figures.ok / figures.seconds, 0),
  p50Ms: figures.latencyMs.p50,
  p99Ms: figures.latencyMs.p99,
  maxMs: figures.latencyMs.max,
  requests: figures.total,
  notOk: figures.notOk,
  // The server's own CPU per request and its share of one core: whether it, or the load generator and the
  // round trip, was the limit (a server well under one core was waiting for requests).
  ...(serverCpuMs !== undefined && {
    serverCpuMsPerRequest: round(serverCpuMs / Math.max(1, figures.total), 4),
    serverCoreShare: round(serverCpuMs / (figures.seconds * 1000), 2),
  }),
});

let runs = 0;
/** The first event number of the next run: 10 million apart, so that no two runs send the same event_id. */
const nextFirst = () => 100_000_000 + 10_000_000 * runs++;

async function measure(server: Child<{ url: string }>, seconds = SECONDS) {
  const url = `${server.ready.url}/vk/callback`;
  try {
    await load(url, { seconds: WARM_UP_SECONDS, first: nextFirst() });
    const cpuBefore = cpuMsOf(server.process.pid);
    const figures = await load(url, { seconds, first: nextFirst() });
    const cpuAfter = cpuMsOf(server.process.pid);
    return summary(
      figures,
      cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
    );
  } finally {
    await server.stop();
  }
}

/** Our ingest through the local runtime, the real SQS emulator behind it (in a process of its own). */
export const ingestThroughRuntime = async () =>
  measure(await startChild<{ url: string }>('../servers/runtime.ts', { BENCH_CONSUMERS: 'false' }, 'ignore'));

/** Seconds each server of the like-for-like figure is measured for, in each round. */
export const LIKE_FOR_LIKE_SECONDS = 6;

/**
 * vk-io's receiver and our ingest with the hand-off in memory: same payloads, connections and process setup,
 * one after the other in each round, the order turned by one each round. The machine is shared and its pace
 * drifts by a fifth within minutes, so a ratio is taken within each round, between servers measured seconds
 * apart, and the median of the rounds' ratios is the figure; each server's figures are those of its median
 * round. `ours` hands its message to an in-memory queue as vk-io hands its update to a no-op handler;
 * `oursWritingBody` also writes each message's SQS body there, as the SQS adapters would. Beside them, our
 * HTTP layer alone (bench/servers/http-floor.ts): how much of any difference is ingest's own work and how
 * much the HTTP layer's.
 */
export async function likeForLike(rounds = 3) {
  type Summary = ReturnType<typeof summary>;
  const servers = {
    ours: ['../servers/ingest-in-memory.ts', { BENCH_QUEUE_KEEPS: 'message' }],
    oursWritingBody: ['../servers/ingest-in-memory.ts', { BENCH_QUEUE_KEEPS: 'body' }],
    vkIo: ['../servers/vk-io.ts', {}],
    ourHttpFloor: ['../servers/http-floor.ts', {}],
  } as const;
  type Name = keyof typeof servers;
  const names = Object.keys(servers) as Name[];
  const runs = Object.fromEntries(names.map((name) => [name, [] as Summary[]])) as Record<Name, Summary[]>;
  for (let round = 0; round < rounds; round++)
    for (const [index] of names.entries()) {
      const name = names[(index + round) % names.length] as Name;
      const [file, env] = servers[name];
      runs[name].push(await measure(await startChild<{ url: string }>(file, env), LIKE_FOR_LIKE_SECONDS));
    }
  const ratiosTo = (name: Name) =>
    runs[name].map((figures, round) =>
      round2(figures.requestsPerSecond / (runs.vkIo[round]?.requestsPerSecond ?? Number.NaN)),
    );
  const medianRound = (list: Summary[]) =>
    [...list].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[
      Math.floor(list.length / 2)
    ] as Summary;
  const middle = (values: number[]) => round2(median(values));
  const ratioPerRound = ratiosTo('ours');
  return {
    ours: medianRound(runs.ours),
    vkIo: medianRound(runs.vkIo),
    ratio: middle(ratioPerRound),
    ratioPerRound,
    oursWritingBody: medianRound(runs.oursWritingBody),
    writingBodyRatio: middle(ratiosTo('oursWritingBody')),
    ourHttpFloor: medianRound(runs.ourHttpFloor),
    floorRatio: middle(ratiosTo('ourHttpFloor')),
    rounds,
    seconds: LIKE_FOR_LIKE_SECONDS,
  };
}

const round2 = (value: number) => round(value, 2);
