/**
 * The load generator, in a process of its own: autocannon POSTs VK message_new events (each its own
 * event_id) to one URL on 127.0.0.1 at a fixed number of connections, for a bounded time, optionally at a
 * fixed overall rate. Sends its figures to the parent over IPC; with BENCH_ANSWERS_FILE it also writes when
 * each event's `ok` came back (event_id → epoch ms), for the pipeline's end-to-end latency.
 * Settings (JSON in BENCH_LOAD): url, connections, seconds, rate?, first (the first event number).
 */
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { demoCommunity, eventIdOf, messageNewBody } from './support/vk-events.js';

interface LoadSettings {
  url: string;
  connections: number;
  seconds: number;
  rate?: number;
  first: number;
}

const settings = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadSettings;
const { groupId, secret } = demoCommunity();
const answeredAt: Record<string, number> = {};
let next = settings.first;
let notOk = 0;

const result = await autocannon({
  url: settings.url,
  connections: settings.connections,
  duration: settings.seconds,
  ...(settings.rate !== undefined && { overallRate: settings.rate }),
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request: Record<string, unknown>, context: Record<string, unknown>) => {
        const n = next++;
        context.eventId = eventIdOf(n);
        return { ...request, body: messageNewBody(n, groupId, secret) };
      },
      onResponse: (status: number, body: string, context: Record<string, unknown>) => {
        if (status !== 200 || body !== 'ok') notOk++;
        else answeredAt[context.eventId as string] = Date.now();
      },
    },
  ],
});

if (process.env.BENCH_ANSWERS_FILE) writeFileSync(process.env.BENCH_ANSWERS_FILE, JSON.stringify(answeredAt));
process.send?.({
  requestsPerSecond: result.requests.average,
  total: result.requests.total,
  ok: Object.keys(answeredAt).length,
  notOk: notOk + result.errors + result.timeouts,
  latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  seconds: result.duration,
});
