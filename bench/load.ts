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

/**
 * messageNewBody, byte for byte, put together from fixed pieces instead of JSON.stringify of a new object
 * per request: the generator shares two cores with the server, so what it spends per request is taken
 * from the figure. Checked against messageNewBody before the run.
 */
function bodyMaker(): (n: number) => string {
  // The texts (by n % 3) with their number taken out, from events whose number appears nowhere else in them.
  const sample = 987_654_321;
  const texts: string[][] = [];
  for (const n of [sample, sample + 1, sample + 2]) {
    const { text } = (
      JSON.parse(messageNewBody(n, groupId, secret)) as { object: { message: { text: string } } }
    ).object.message;
    texts[n % 3] = text.split(String(n));
  }
  const head = `{"type":"message_new","event_id":"`;
  const envelope = `","v":"5.199","group_id":${groupId},"secret":${JSON.stringify(secret)},"object":{"message":{"id":`;
  const tail = `,"attachments":[],"fwd_messages":[]},"client_info":{"keyboard":true,"lang_id":0,"button_actions":["text"]}}}`;
  const make = (n: number) => {
    const parts = texts[n % 3] ?? [];
    const peer = 5_000_000 + n;
    return (
      `${head}${eventIdOf(n)}${envelope}${n},"date":${Math.floor(Date.now() / 1000)},"peer_id":${peer},` +
      `"from_id":${peer},"out":0,"conversation_message_id":${n},"text":${JSON.stringify(parts.join(String(n)))}${tail}`
    );
  };
  // Each dated when it is made, as VK dates a message when it is written: the two may be a second apart.
  const undated = (body: string) => body.replace(/"date":\d+/, '"date":0');
  for (const n of [settings.first, settings.first + 1, settings.first + 2, sample, 0, 1, 2, 1_234_567])
    if (undated(make(n)) !== undated(messageNewBody(n, groupId, secret)))
      throw new Error(`the body of event ${n} differs`);
  return make;
}
const bodyOf = bodyMaker();
const answeredAt: Record<string, number> = {};
const keepAnswers = Boolean(process.env.BENCH_ANSWERS_FILE);
let next = settings.first;
let ok = 0;
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
        context.n = n;
        request.body = bodyOf(n);
        return request;
      },
      onResponse: (status: number, body: string, context: Record<string, unknown>) => {
        if (status !== 200 || body !== 'ok') notOk++;
        else {
          ok++;
          if (keepAnswers) answeredAt[eventIdOf(context.n as number)] = Date.now();
        }
      },
    },
  ],
});

if (process.env.BENCH_ANSWERS_FILE) writeFileSync(process.env.BENCH_ANSWERS_FILE, JSON.stringify(answeredAt));
process.send?.({
  requestsPerSecond: result.requests.average,
  total: result.requests.total,
  ok,
  notOk: notOk + result.errors + result.timeouts,
  latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  seconds: result.duration,
});
