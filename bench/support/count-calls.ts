/**
 * Counts a process's DynamoDB and SQS calls by operation, loaded with `--import` into a process that runs
 * functions (or pollers): each SDK call is one HTTP request whose `X-Amz-Target` header names the operation
 * (both services speak the AWS JSON protocol). Written as JSON to BENCH_CALLS_FILE when the process exits.
 */
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';

const file = process.env.BENCH_CALLS_FILE;
if (file) {
  const calls: Record<string, number> = {};
  subscribe('http.client.request.start', (message) => {
    const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
    if (typeof target !== 'string') return;
    const operation = target.slice(target.indexOf('.') + 1);
    calls[operation] = (calls[operation] ?? 0) + 1;
  });
  process.on('exit', () => writeFileSync(file, JSON.stringify(calls)));
}
