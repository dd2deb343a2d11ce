/**
 * The ingest handler's own time per event: 20,000 VK message_new events through the real handler (middy,
 * logger, parse, validate, secret check, wrap, answer) with SQS replaced by an in-memory stand-in, so that
 * only our work is timed.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { inMemoryIngest } from './support/in-memory-ingest.js';
import { percentile } from './support/stats.js';
import { demoCommunity, messageNewBody } from './support/vk-events.js';

export const HANDLER_EVENTS = 20_000;
const WARM_UP = 2_000;

const gatewayEvent = (text: string) =>
  ({
    version: '2.0',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/vk/callback' } },
    body: text,
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

export async function handlerOwnTime() {
  const { groupId, secret } = demoCommunity();
  const { handler, queuedBytes } = inMemoryIngest();
  const context = {
    functionName: 'bench',
    awsRequestId: 'bench',
    getRemainingTimeInMillis: () => 5000,
  } as Context;
  const events = Array.from({ length: WARM_UP + HANDLER_EVENTS }, (_, n) =>
    gatewayEvent(messageNewBody(n, groupId, secret)),
  );
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
    queued: queuedBytes(),
  };
}
