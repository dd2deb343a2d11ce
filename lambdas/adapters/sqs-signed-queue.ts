import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { MessageQueue, TimeBudget } from '../domain/ports.js';
import { toSqsMessageBody } from './sqs-message-body.js';

/** What signs a request: the function's own credentials, as Lambda puts them in its environment. */
interface SqsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

interface SignedSqsOptions {
  queueUrl: string;
  region: string;
  /** AWS_ENDPOINT_URL_SQS when set (the emulator), else SQS's regional endpoint. */
  endpoint?: string | undefined;
  credentials: () => SqsCredentials;
  /** Until the TCP (and TLS) connection is made. */
  connectTimeoutMs?: number;
  /** The whole attempt, from the request to the last byte of the answer. */
  requestTimeoutMs?: number;
}

/** As the SDK client it replaces (maxAttempts 2): one try more after a fault that may pass. */
const MAX_ATTEMPTS = 2;
const CONNECT_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
/**
 * The shortest attempt begun within a caller's budget: a SendMessage takes milliseconds, a new TLS connection
 * tens of them. Less than this left, the send gives up at once.
 */
const MIN_ATTEMPT_MS = 250;
/** The SDK's throttling error codes that SQS answers with. */
const THROTTLING = new Set([
  'ThrottlingException',
  'RequestThrottled',
  'KmsThrottled',
  'TooManyRequestsException',
]);

/** SQS did not store the message. `type`: SQS's error type (`QueueDoesNotExist`…) or the network error's code. */
export class SqsSendError extends Error {
  override name = 'SqsSendError';
  constructor(
    readonly type: string,
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 (or HMAC-SHA-256 with a key) from Node's crypto, in the shape the SDK's signer takes. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const sqsRegionalEndpoint = (region: string) =>
  `https://sqs.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;

/**
 * One SendMessage per call as a SigV4-signed request in SQS's JSON protocol, without the SDK client: the
 * signer is the SDK's own (@smithy/signature-v4), the rest is Node's HTTP. For ingest, whose cold start VK
 * waits on: loading and setting up the SQS client was most of its start. The consumers keep the client.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 *
 * Resolves once SQS has answered 200 with the MD5 of the body it stored (checked, as the SDK does). A
 * network error, a 5xx or throttling is tried once more; a sender fault (4xx) is not. Given a budget, each
 * attempt ends within it and none is begun with less than MIN_ATTEMPT_MS of it left: ingest answers its own
 * 503 before Lambda's timeout (INGEST in lib/resources.ts).
 */
export class SignedSqsMessageQueue<T> implements MessageQueue<T> {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: SignedSqsOptions) {
    this.url = new URL(options.endpoint ?? sqsRegionalEndpoint(options.region));
    this.signer = new SignatureV4({
      service: 'sqs',
      region: options.region,
      credentials: async () => options.credentials(),
      sha256: NodeSha256,
      // The payload's hash goes into the signature; SQS, unlike S3, needs no header holding it.
      applyChecksum: false,
    });
    const https = this.url.protocol === 'https:';
    this.agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  async send(message: T, budget?: TimeBudget): Promise<void> {
    const messageBody = toSqsMessageBody(message);
    const payload = JSON.stringify({ QueueUrl: this.options.queueUrl, MessageBody: messageBody });
    let failure: SqsSendError | undefined;
    for (let attempt = 1; ; attempt++) {
      const timeoutMs = Math.min(this.requestTimeoutMs, budget?.remainingMs() ?? Number.POSITIVE_INFINITY);
      // Out of time, the first attempt's fault is what the caller hears of, not the want of time.
      if (timeoutMs < MIN_ATTEMPT_MS)
        throw failure ?? new SqsSendError('TimeoutError', 'no time left to send to SQS', undefined, true);
      try {
        return await this.attempt(payload, messageBody, timeoutMs);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !(error instanceof SqsSendError) || !error.retryable) throw error;
        failure = error;
        // A little jitter, as the SDK waits before its second try.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
      }
    }
  }

  private async attempt(payload: string, messageBody: string, timeoutMs: number): Promise<void> {
    const { hostname, port, host, protocol } = this.url;
    const signed = await this.signer.sign({
      method: 'POST',
      protocol,
      hostname,
      port: port ? Number(port) : undefined,
      path: '/',
      query: {},
      headers: {
        host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.SendMessage',
        'content-length': String(Buffer.byteLength(payload)),
      },
      body: payload,
    });
    const { status, headers, text } = await this.post(signed.headers, payload, timeoutMs);
    if (status === 200) {
      const stored = jsonObjectOf(text);
      // Not SQS's answer (a proxy's page, a body cut short): whether it stored the message is not known, so it
      // is sent again, as after a dropped connection; one VK event still makes one citizen message.
      if (stored === undefined)
        throw new SqsSendError(
          'UnreadableAnswer',
          'SQS answered 200 with a body that is no JSON object',
          status,
          true,
        );
      const md5 = createHash('md5').update(messageBody, 'utf8').digest('hex');
      if (stored.MD5OfMessageBody !== md5)
        throw new SqsSendError(
          'InvalidChecksum',
          'SQS stored a body whose MD5 differs from the one sent',
          status,
          true,
        );
      return;
    }
    throw answerError(status, headers, text);
  }

  /** `timeoutMs`: the whole attempt, from the request to the last byte of the answer. */
  private post(headers: Record<string, string>, payload: string, timeoutMs: number) {
    const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<{ status: number; headers: IncomingMessage['headers']; text: string }>(
      (resolve, reject) => {
        const fail = (type: string, message: string) => new SqsSendError(type, message, undefined, true);
        const call = request(
          {
            protocol: this.url.protocol,
            hostname: this.url.hostname,
            port: this.url.port || undefined,
            path: '/',
            method: 'POST',
            headers,
            agent: this.agent,
          },
          (answer) => {
            const chunks: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => chunks.push(chunk));
            answer.on('error', (error: NodeJS.ErrnoException) =>
              reject(fail(error.code ?? 'NetworkError', error.message)),
            );
            answer.on('end', () =>
              resolve({
                status: answer.statusCode ?? 0,
                headers: answer.headers,
                text: Buffer.concat(chunks).toString('utf8'),
              }),
            );
          },
        );
        const whole = setTimeout(
          () => call.destroy(fail('TimeoutError', `SQS did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
        call.on('socket', (socket) => {
          if (!socket.connecting) return;
          const connect = setTimeout(
            () =>
              call.destroy(fail('TimeoutError', `no connection to SQS within ${this.connectTimeoutMs} ms`)),
            this.connectTimeoutMs,
          );
          socket.once('connect', () => clearTimeout(connect));
          socket.once('close', () => clearTimeout(connect));
        });
        call.on('error', (error: NodeJS.ErrnoException) =>
          reject(error instanceof SqsSendError ? error : fail(error.code ?? 'NetworkError', error.message)),
        );
        call.on('close', () => clearTimeout(whole));
        call.end(payload);
      },
    );
  }
}

/**
 * SQS's error from its answer: the type from `x-amzn-query-error` (`AWS.SimpleQueueService.NonExistentQueue;Sender`)
 * or the body's `__type` (`com.amazonaws.sqs#QueueDoesNotExist`).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-faqs.html
 */
function answerError(status: number, headers: IncomingMessage['headers'], text: string): SqsSendError {
  // Not a JSON object (a proxy's page, an empty 5xx): the status says enough.
  const body = jsonObjectOf(text) ?? {};
  const textOf = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const queryError = headers['x-amzn-query-error'];
  const queryType = typeof queryError === 'string' ? queryError.split(';')[0] : undefined;
  const type = textOf(body.__type)?.split('#').pop() || queryType || `Http${status}`;
  const retryable =
    status >= 500 ||
    status === 429 ||
    THROTTLING.has(type) ||
    (queryType !== undefined && THROTTLING.has(queryType));
  return new SqsSendError(
    type,
    `SQS refused SendMessage (${status} ${type}): ${textOf(body.message) ?? textOf(body.Message) ?? text.slice(0, 200)}`,
    status,
    retryable,
  );
}

/** SQS's answer as the JSON object it is, or undefined when it is none. */
function jsonObjectOf(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
