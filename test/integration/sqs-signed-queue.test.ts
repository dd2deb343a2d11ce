import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedSqsMessageQueue, SqsSendError } from '../../lambdas/adapters/sqs-signed-queue.js';
import { LOCAL_AWS } from '../../local/emulators.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const REGION = 'eu-central-1';
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/events';

interface Captured {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP server standing in for SQS: records each request and answers as `answer` says. */
async function standIn(answer: (request: Captured, response: ServerResponse, index: number) => void) {
  const requests: Captured[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const captured = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(captured);
      answer(captured, response, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What SQS answers a stored message with: its id and the MD5 of its body. */
function stored(request: Captured, response: ServerResponse): void {
  const { MessageBody } = JSON.parse(request.body) as { MessageBody: string };
  response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(
    JSON.stringify({
      MessageId: 'd5f0c4e1-0000-4000-8000-000000000001',
      MD5OfMessageBody: createHash('md5').update(MessageBody, 'utf8').digest('hex'),
    }),
  );
}

function refused(status: number, body: object, headers: Record<string, string> = {}) {
  return (_request: Captured, response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers });
    response.end(JSON.stringify(body));
  };
}

const queueAt = (endpoint: string) =>
  new SignedSqsMessageQueue<unknown>({
    queueUrl: QUEUE_URL,
    region: REGION,
    endpoint,
    credentials: () => CREDENTIALS,
  });

/**
 * An independent SigV4 check, written from the AWS documentation alone (canonical request, string to sign,
 * signing key): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * Returns why it refuses, or undefined when the signature is right.
 */
function sigV4Refusal(request: Captured, secretAccessKey: string): string | undefined {
  const authorization = String(request.headers.authorization ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return `no SigV4 authorization header: ${authorization}`;
  const [, , date, region, service, signedHeaderList, signature] = match as unknown as string[];
  const signedHeaders = (signedHeaderList as string).split(';');
  for (const required of ['host', 'x-amz-date', 'content-type', 'x-amz-target'])
    if (!signedHeaders.includes(required)) return `${required} is not signed`;
  if (
    request.headers['x-amz-security-token'] !== undefined &&
    !signedHeaders.includes('x-amz-security-token')
  )
    return 'the session token is not signed';
  const amzDate = String(request.headers['x-amz-date']);
  if (!amzDate.startsWith(date as string)) return 'the credential scope is not of the request date';

  const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
  const [path = '/', query = ''] = request.url.split('?');
  const canonicalQuery = query
    .split('&')
    .filter(Boolean)
    .map(
      (pair) =>
        pair.split('=').map((part) => encodeURIComponent(decodeURIComponent(part))) as [string, string?],
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value = '']) => `${key}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalRequest = [
    request.method,
    path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    sha256(request.body),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const hmac = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data, 'utf8').digest();
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, date as string), region as string), service as string),
    'aws4_request',
  );
  const expected = hmac(signingKey, stringToSign);
  return timingSafeEqual(expected, Buffer.from(signature as string, 'hex'))
    ? undefined
    : 'the signature differs';
}

const MESSAGE = {
  eventKey: 'message_new:123456789:614',
  groupId: 123456789,
  type: 'message_new',
  receivedAt: '2026-11-28T10:00:00.000Z',
  event: { text: 'Во дворе дома 12 не вывозят мусор «ёлки» "кавычки" \\ и \u2028 разделитель' },
};

const byEventKey = (a: { eventKey: string }, b: { eventKey: string }) => a.eventKey.localeCompare(b.eventKey);

describe('signed SendMessage: the signature, checked without the emulator (fauxqs checks none)', () => {
  let server: Awaited<ReturnType<typeof standIn>>;
  beforeAll(async () => {
    server = await standIn(stored);
  });
  afterAll(() => server.close());

  /** What the SDK's own SQSClient sends for MESSAGE, as the stand-in caught it. */
  async function sentBySdk(): Promise<Captured> {
    const client = new SQSClient({
      endpoint: server.endpoint,
      region: REGION,
      credentials: CREDENTIALS,
      useQueueUrlAsEndpoint: false,
    });
    await client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: JSON.stringify(MESSAGE) }));
    return server.requests.at(-1) as Captured;
  }

  it('the verifier accepts what the SDK’s SQSClient sends, and refuses it once a byte of the body changes', async () => {
    const sdk = await sentBySdk();
    expect(sdk.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(sigV4Refusal(sdk, CREDENTIALS.secretAccessKey)).toBeUndefined();
    expect(
      sigV4Refusal({ ...sdk, body: sdk.body.replace('мусор', 'мусoр') }, CREDENTIALS.secretAccessKey),
    ).toBe('the signature differs');
    expect(sigV4Refusal(sdk, 'another-secret-key')).toBe('the signature differs');
    expect(
      sigV4Refusal(
        { ...sdk, headers: { ...sdk.headers, 'x-amz-target': 'AmazonSQS.DeleteQueue' } },
        CREDENTIALS.secretAccessKey,
      ),
    ).toBe('the signature differs');
  });

  it('accepts ours, the same call as the SDK’s: method, path, target, content type and body', async () => {
    const sdk = await sentBySdk();
    await queueAt(server.endpoint).send(MESSAGE);
    const ours = server.requests.at(-1) as Captured;

    expect(sigV4Refusal(ours, CREDENTIALS.secretAccessKey)).toBeUndefined();
    expect(ours.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(ours.method).toBe(sdk.method);
    expect(ours.url).toBe(sdk.url);
    expect(ours.headers['x-amz-target']).toBe(sdk.headers['x-amz-target']);
    expect(ours.headers['content-type']).toBe(sdk.headers['content-type']);
    expect(JSON.parse(ours.body)).toEqual(JSON.parse(sdk.body));
    expect(JSON.parse(ours.body)).toEqual({ QueueUrl: QUEUE_URL, MessageBody: JSON.stringify(MESSAGE) });
  });

  it('refuses an answer whose MD5 is not of the body sent', async () => {
    const wrong = await standIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ MessageId: 'x', MD5OfMessageBody: '0'.repeat(32) }));
    });
    try {
      await expect(queueAt(wrong.endpoint).send(MESSAGE)).rejects.toMatchObject({ type: 'InvalidChecksum' });
    } finally {
      await wrong.close();
    }
  });
});

describe('signed SendMessage: faults, from a local server standing in for SQS (the emulator cannot make them)', () => {
  const withStandIn = async (
    answer: Parameters<typeof standIn>[0],
    check: (server: Awaited<ReturnType<typeof standIn>>) => Promise<void>,
  ) => {
    const server = await standIn(answer);
    try {
      await check(server);
    } finally {
      await server.close();
    }
  };

  it('tries once more after a 5xx, and stores the message', () =>
    withStandIn(
      (request, response, index) =>
        index === 0
          ? refused(500, { __type: 'com.amazonaws.sqs#InternalError' })(request, response)
          : stored(request, response),
      async (server) => {
        await queueAt(server.endpoint).send(MESSAGE);
        expect(server.requests).toHaveLength(2);
        expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
      },
    ));

  it('tries once more after the connection was dropped, and stores the message', () =>
    withStandIn(
      (request, response, index) => (index === 0 ? response.socket?.destroy() : stored(request, response)),
      async (server) => {
        await queueAt(server.endpoint).send(MESSAGE);
        expect(server.requests).toHaveLength(2);
      },
    ));

  it('tries once more when throttled', () =>
    withStandIn(
      (request, response, index) =>
        index === 0
          ? refused(400, { __type: 'com.amazonaws.sqs#ThrottlingException', message: 'Rate exceeded' })(
              request,
              response,
            )
          : stored(request, response),
      async (server) => {
        await queueAt(server.endpoint).send(MESSAGE);
        expect(server.requests).toHaveLength(2);
      },
    ));

  it('gives up after two 5xx with SQS’s error type', () =>
    withStandIn(
      refused(503, { __type: 'com.amazonaws.sqs#ServiceUnavailable', message: 'down' }),
      async (server) => {
        const error = await queueAt(server.endpoint)
          .send(MESSAGE)
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(SqsSendError);
        expect(error).toMatchObject({ type: 'ServiceUnavailable', status: 503 });
        expect(server.requests).toHaveLength(2);
      },
    ));

  it('does not try again after a sender fault (400), and names it', () =>
    withStandIn(
      refused(
        400,
        { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
        { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
      ),
      async (server) => {
        const error = await queueAt(server.endpoint)
          .send(MESSAGE)
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({
          name: 'SqsSendError',
          type: 'QueueDoesNotExist',
          status: 400,
          retryable: false,
        });
        expect((error as Error).message).toContain('The specified queue does not exist.');
        expect(server.requests).toHaveLength(1);
      },
    ));

  /** A caller's budget that reads `values` one after the other, the last one from then on. */
  const budgetOf = (...values: number[]) => {
    const reads: number[] = [];
    return {
      reads,
      remainingMs: () => {
        const value = values[Math.min(reads.length, values.length - 1)] as number;
        reads.push(value);
        return value;
      },
    };
  };

  it('cuts an attempt to the caller’s remaining time, and begins none more once too little is left', () =>
    withStandIn(
      () => {
        // SQS never answers.
      },
      async (server) => {
        const budget = budgetOf(300, 100);
        const error = await queueAt(server.endpoint)
          .send(MESSAGE, budget)
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({ name: 'SqsSendError', type: 'TimeoutError' });
        expect((error as Error).message).toContain('within 300 ms');
        expect(server.requests).toHaveLength(1);
        expect(budget.reads).toEqual([300, 100]);
      },
    ));

  it('gives up with the first attempt’s fault when no time is left for a second', () =>
    withStandIn(
      refused(503, { __type: 'com.amazonaws.sqs#ServiceUnavailable', message: 'down' }),
      async (server) => {
        await expect(queueAt(server.endpoint).send(MESSAGE, budgetOf(2000, 249))).rejects.toMatchObject({
          type: 'ServiceUnavailable',
          status: 503,
        });
        expect(server.requests).toHaveLength(1);
      },
    ));

  it('tries once more when the budget leaves time for it', () =>
    withStandIn(
      (request, response, index) =>
        index === 0
          ? refused(500, { __type: 'com.amazonaws.sqs#InternalError' })(request, response)
          : stored(request, response),
      async (server) => {
        await queueAt(server.endpoint).send(MESSAGE, budgetOf(2000, 250));
        expect(server.requests).toHaveLength(2);
      },
    ));

  it('sends nothing when the caller has too little time left', () =>
    withStandIn(stored, async (server) => {
      await expect(queueAt(server.endpoint).send(MESSAGE, budgetOf(100))).rejects.toMatchObject({
        type: 'TimeoutError',
        retryable: true,
      });
      expect(server.requests).toHaveLength(0);
    }));

  it.each([
    ['not JSON (a proxy’s page)', '<html>Bad gateway</html>'],
    ['JSON, but no object', 'null'],
    ['empty', ''],
  ])('takes a 200 whose body is %s for a fault that may pass: tried once more, and stored', (_, body) =>
    withStandIn(
      (request, response, index) =>
        index === 0 ? response.writeHead(200).end(body) : stored(request, response),
      async (server) => {
        await queueAt(server.endpoint).send(MESSAGE);
        expect(server.requests).toHaveLength(2);
      },
    ),
  );

  it('names a 200 it cannot read as SQS’s answer, once it gives up', () =>
    withStandIn(
      (_request, response) => response.writeHead(200).end('<html>Bad gateway</html>'),
      async (server) => {
        await expect(queueAt(server.endpoint).send(MESSAGE)).rejects.toMatchObject({
          name: 'SqsSendError',
          type: 'UnreadableAnswer',
          status: 200,
          retryable: true,
        });
      },
    ));

  it('gives a refusal whose body is JSON but no object its status as its type', () =>
    withStandIn(
      (_request, response) => response.writeHead(503).end('null'),
      async (server) => {
        await expect(queueAt(server.endpoint).send(MESSAGE)).rejects.toMatchObject({
          name: 'SqsSendError',
          type: 'Http503',
          status: 503,
        });
        expect(server.requests).toHaveLength(2);
      },
    ));

  it('takes the error type from x-amzn-query-error when the body has none', () =>
    withStandIn(
      refused(400, {}, { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' }),
      async (server) => {
        await expect(queueAt(server.endpoint).send(MESSAGE)).rejects.toMatchObject({
          type: 'AWS.SimpleQueueService.NonExistentQueue',
          retryable: false,
        });
        expect(server.requests).toHaveLength(1);
      },
    ));
});

describe('signed SendMessage against fauxqs', () => {
  let aws: TestAws;
  beforeAll(async () => {
    aws = await startTestAws();
  });
  afterAll(() => aws?.stop());

  it('stores each message with exactly the body sent', async () => {
    const queue = new SignedSqsMessageQueue<typeof MESSAGE>({
      queueUrl: aws.queues.events.url,
      region: LOCAL_AWS.region,
      endpoint: aws.emulators.sqsEndpoint,
      credentials: () => ({ accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey }),
    });
    const messages = [
      MESSAGE,
      { ...MESSAGE, eventKey: 'message_new:123456789:615', event: { text: 'x'.repeat(200_000) } },
      { ...MESSAGE, eventKey: 'message_new:123456789:616', event: { text: 'Спасибо 👍🏻\uFFFF' } },
    ];
    for (const message of messages) await queue.send(message);
    const bodies = await drainQueue(aws.sqs, aws.queues.events.url);
    expect(bodies.map((body) => JSON.parse(body)).sort(byEventKey)).toEqual(messages.sort(byEventKey));
  });
});
