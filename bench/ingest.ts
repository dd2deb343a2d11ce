/**
 * Ingest benchmark. Prints (1) the ingest handler's own time per event, median and p99, over 20,000 VK
 * events with SQS replaced by an in-memory stand-in, so only our work is timed (parse, validate, check the
 * secret, wrap, answer); (2) the local runtime's requests/s and p99 latency over HTTP on 127.0.0.1, with the
 * real SQS emulator behind it and the classifier and router consuming at the same time.
 * Usage: npm run bench:ingest
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, release } from 'node:os';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { parseAppConfig } from '../lambdas/domain/config/schema.js';
import type { ReceivedVkEvent } from '../lambdas/domain/vk/envelope.js';
import { createCallbackAcceptor } from '../lambdas/ingest/accept-callback.js';
import { createIngestHandler } from '../lambdas/ingest/http-handler.js';
import { startLocalRuntime } from '../local/runtime.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const CONFIG_FILE = 'config/local.json';
const SECRETS_FILE = 'config/local.secrets.json';
const HANDLER_EVENTS = 20_000;
const WARM_UP = 2_000;
const HTTP_REQUESTS = 5_000;
const HTTP_CONCURRENCY = 32;

const config = parseAppConfig(JSON.parse(readFileSync(CONFIG_FILE, 'utf8')), CONFIG_FILE);
const secrets = JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as Record<string, string>;
const community = config.communities[0];
if (!community) throw new Error(`${CONFIG_FILE} has no community`);
const secret = secrets[community.callbackSecret.parameter] ?? '';

const TEXTS = [
  'Во дворе дома {n} третий день не вывозят мусор, контейнеры переполнены',
  'На остановке у школы №{n} нет расписания, автобус ходит раз в час',
  'В подъезде {n} не горит свет, батареи еле тёплые, управляющая компания не отвечает',
];

/** A message_new as VK sends it (API 5.199), about 600 bytes, each with its own event_id. */
const body = (n: number) =>
  JSON.stringify({
    type: 'message_new',
    event_id: n.toString(16).padStart(40, '0'),
    v: '5.199',
    group_id: community.groupId,
    secret,
    object: {
      message: {
        id: n,
        date: 1764300000 + n,
        peer_id: 5_550_000 + (n % 1000),
        from_id: 5_550_000 + (n % 1000),
        out: 0,
        conversation_message_id: n,
        text: (TEXTS[n % TEXTS.length] ?? '').replace('{n}', String(n)),
        attachments: [],
        fwd_messages: [],
      },
      client_info: { keyboard: true, lang_id: 0, button_actions: ['text'] },
    },
  });

const gatewayEvent = (text: string) =>
  ({
    version: '2.0',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/vk/callback' } },
    body: text,
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(3)} ms`;

async function handlerOwnTime() {
  let queued = 0;
  const handler = createIngestHandler(
    createCallbackAcceptor({
      config,
      // SSM values are cached in the function (Powertools Parameters): a map stands in for the warm cache.
      secrets: { get: async (name) => secrets[name] },
      // The stand-in serialises the message as the SQS adapter does, so that cost stays in the figure.
      queue: {
        send: async (message: ReceivedVkEvent) => {
          queued += JSON.stringify(message).length;
        },
      },
      clock: { now: () => new Date() },
    }),
  );
  const context = {
    functionName: 'bench',
    awsRequestId: 'bench',
    getRemainingTimeInMillis: () => 5000,
  } as Context;
  const events = Array.from({ length: WARM_UP + HANDLER_EVENTS }, (_, n) => gatewayEvent(body(n)));
  const times: number[] = [];
  for (const [index, event] of events.entries()) {
    const started = process.hrtime.bigint();
    const response = await handler(event, context);
    const took = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.body !== 'ok') throw new Error(`unexpected answer ${response.statusCode} ${response.body}`);
    if (index >= WARM_UP) times.push(took);
  }
  times.sort((a, b) => a - b);
  return {
    median: percentile(times, 50),
    p99: percentile(times, 99),
    max: times.at(-1) ?? Number.NaN,
    queued,
  };
}

/** Requests/s and latency over HTTP, a bounded number of requests in flight at a time. */
async function load(url: string, first: number) {
  const post = async (n: number) => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(n),
    });
    const text = await response.text();
    if (text !== 'ok') throw new Error(`unexpected answer ${response.status} ${text}`);
    return performance.now() - started;
  };
  for (let n = 0; n < 200; n++) await post(first - 1000 + n);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: HTTP_CONCURRENCY }, async () => {
      while (next < HTTP_REQUESTS) latencies.push(await post(first + next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: HTTP_REQUESTS / seconds,
    median: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** The local runtime: first ingest alone (consumers paused), then with the classifier and router consuming. */
async function overHttp() {
  const runtime = await startLocalRuntime({
    port: 0,
    configFile: CONFIG_FILE,
    secretsFile: SECRETS_FILE,
    logLevel: 'SILENT',
    onError: () => undefined,
  });
  try {
    const url = `${runtime.url}/vk/callback`;
    await Promise.all(Object.values(runtime.pollers).map((poller) => poller.stop()));
    const alone = await load(url, 10_000_000);
    for (const poller of Object.values(runtime.pollers)) poller.start();
    const withConsumers = await load(url, 20_000_000);
    return { alone, withConsumers };
  } finally {
    await runtime.stop();
  }
}

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${arch()}, Linux ${release()}`,
);
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
const own = await handlerOwnTime();
console.log(
  `ingest handler, own time per event over ${HANDLER_EVENTS} events (in-memory queue): median ${ms(own.median)}, p99 ${ms(own.p99)}, max ${ms(own.max)}`,
);
const http = await overHttp();
const line = (name: string, figures: { perSecond: number; median: number; p99: number }) =>
  console.log(
    `local runtime over HTTP, ${name} (fauxqs, ${HTTP_CONCURRENCY} in flight, ${HTTP_REQUESTS} requests): ${figures.perSecond.toFixed(0)} requests/s, median ${ms(figures.median)}, p99 ${ms(figures.p99)}`,
  );
line('ingest alone', http.alone);
line('classifier and router consuming', http.withConsumers);
process.exit(0);
