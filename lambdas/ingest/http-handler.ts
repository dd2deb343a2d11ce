import type { Logger } from '@aws-lambda-powertools/logger';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { INGEST } from '../../lib/resources.js';
import type { CallbackAnswer, CallbackRequest } from './accept-callback.js';

/** VK compares the body byte for byte: plain text, no BOM, nothing else. */
export function toHttpResponse(answer: CallbackAnswer): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (answer.status === 503) headers['retry-after'] = String(answer.retryAfterSeconds);
  if (answer.status === 405) headers.allow = 'POST';
  return { statusCode: answer.status, headers, body: answer.body };
}

/**
 * What API Gateway hands ingest: a REST API proxy event (payload 1.0) in AWS, where WAF and gateway
 * responses stand in front of it; an HTTP API event (payload 2.0) from the local runtime. Both carry the
 * same body; the method and headers sit in different places.
 */
type GatewayEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;

const methodOf = (event: GatewayEvent) =>
  ('httpMethod' in event ? event.httpMethod : event.requestContext?.http?.method) ?? '';

/** Header names are case-insensitive; payload 1.0 keeps the client's case. `name` is in lower case. */
const headerOf = (event: GatewayEvent, name: string) => {
  const headers = event.headers ?? {};
  for (const candidate in headers)
    if (candidate.length === name.length && candidate.toLowerCase() === name)
      return headers[candidate] ?? undefined;
  return undefined;
};

/** The body as text; payload 1.0 says `null` where 2.0 leaves it out. */
const decodeBody = (event: GatewayEvent): string | undefined => {
  if (event.body === undefined || event.body === null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
};

/** VK's count of failed attempts at this event, on its retries; a short number, anything else is dropped. */
const retryCounterOf = (event: GatewayEvent) => {
  const value = headerOf(event, 'x-retry-counter');
  return value !== undefined && /^\d{1,3}$/.test(value) ? Number(value) : undefined;
};

/** What ingest writes its lines with: Powertools' logger. */
type IngestLogger = Pick<Logger, 'addContext' | 'warn' | 'info'>;

/**
 * Powertools' logger, loaded when ingest writes its first line: its module and set-up were about a tenth of
 * ingest's cold start, which VK waits on, and most instances never write a line (an accepted event writes
 * none).
 */
const powertoolsLogger = async (): Promise<IngestLogger> => {
  const { Logger } = await import('@aws-lambda-powertools/logger');
  return new Logger({ serviceName: 'ingest' });
};

/**
 * The HTTP face of ingest: the API Gateway event in, the exact answer out, every refusal logged with its
 * reason. Built around the use case so that tests and the benchmark can run it with a stand-in queue.
 *
 * A plain handler, not middy: ingest answers VK on every single event, and middy's request lifecycle with
 * the logger middleware cost about a tenth of the ingest server's CPU per request (docs/benchmarks.md).
 * Powertools' manual `addContext` gives the log lines the same Lambda fields, and the event itself is never
 * logged (it holds citizens' words and the secret), whatever POWERTOOLS_LOGGER_LOG_EVENT says.
 * https://docs.aws.amazon.com/powertools/typescript/latest/features/logger/#capturing-lambda-context-info
 */
export function createIngestHandler(
  acceptCallback: (request: CallbackRequest) => Promise<CallbackAnswer>,
  newLogger: () => IngestLogger | Promise<IngestLogger> = powertoolsLogger,
) {
  let invocations = 0;
  let logger: Promise<IngestLogger> | undefined;
  let given: Context | undefined;
  // The logger with this invocation's context, made on the first line written. Powertools marks the cold
  // start on a logger's first `addContext`: one made after the first invocation has it spent at once.
  const loggerFor = async (context: Context, invocation: number) => {
    logger ??= Promise.resolve(newLogger()).then((made) => {
      if (invocation > 1) made.addContext(context);
      return made;
    });
    const ready = await logger;
    if (given !== context) {
      ready.addContext(context);
      given = context;
    }
    return ready;
  };
  return async (event: GatewayEvent, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const invocation = ++invocations;
    // What Lambda leaves the invocation, less the time to answer and log: the worst case of SQS's attempts
    // then still ends in ingest's own 503 (INGEST in lib/resources.ts).
    // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
    const budget = { remainingMs: () => context.getRemainingTimeInMillis() - INGEST.answerReserveMs };
    const answer = await acceptCallback({ method: methodOf(event), body: decodeBody(event), budget });
    const retryCounter = retryCounterOf(event);
    // Refusals are logged with their reason, the event's type and key (when VK's event_id makes it) and the
    // kind of error that kept the event out; never the body, which holds the secret and the citizen's words,
    // nor the error's message, which may quote it.
    if (answer.outcome === 'refused' || answer.outcome === 'unavailable')
      (await loggerFor(context, invocation)).warn('callback not accepted', {
        status: answer.status,
        reason: answer.reason,
        groupId: answer.groupId,
        type: answer.type,
        eventKey: answer.eventKey,
        ...('error' in answer && { error: answer.error }),
        retryCounter,
      });
    else if (retryCounter !== undefined)
      (await loggerFor(context, invocation)).info('retried callback accepted', {
        groupId: answer.groupId,
        eventKey: answer.eventKey,
        retryCounter,
      });
    return toHttpResponse(answer);
  };
}
