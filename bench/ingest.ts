/**
 * Ingest benchmark, the part of `npm run bench` about ingest alone: (1) the handler's own time per event,
 * median and p99, over 20,000 VK events with SQS replaced by an in-memory stand-in; (2) the local runtime's
 * requests/s and latency over HTTP on 127.0.0.1 with the real SQS emulator behind it.
 * Usage: npm run bench:ingest
 */
import { HANDLER_EVENTS, handlerOwnTime } from './handler-time.js';
import { CONNECTIONS, ingestThroughRuntime, SECONDS } from './http.js';
import { benchArguments } from './support/command-line.js';
import { machine } from './support/stats.js';

benchArguments(
  'bench:ingest',
  `The ingest benchmark (docs/ingestion.md): the handler's own time per event over ${HANDLER_EVENTS} VK events, SQS
replaced by an in-memory stand-in, then the local runtime's requests/s and latency over HTTP with the SQS
emulator behind it (${CONNECTIONS} connections, ${SECONDS} s). Prints the figures; bench/results/ is left as it is.

  npm run bench:ingest`,
);

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const ms = (value: number) => `${value.toFixed(3)} ms`;

console.log(JSON.stringify(machine()));
const own = await handlerOwnTime();
console.log(
  `ingest handler, own time per event over ${HANDLER_EVENTS} events (in-memory queue): median ${ms(own.median)}, p99 ${ms(own.p99)}, max ${ms(own.max)}`,
);
const http = await ingestThroughRuntime();
console.log(
  `local runtime over HTTP (fauxqs, ${CONNECTIONS} connections, ${SECONDS} s): ${http.requestsPerSecond} requests/s, p50 ${ms(http.p50Ms)}, p99 ${ms(http.p99Ms)}`,
);
process.exit(0);
