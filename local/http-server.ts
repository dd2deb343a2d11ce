import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { invoke } from './invocation.js';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
/**
 * What API Gateway does itself around a function (its CORS configuration): the answer to `event`, its own
 * without invoking the function, or the invocation's (the function's answer, or `failed`) as it passes on.
 */
export type GatewayLayer = (
  event: APIGatewayProxyEventV2,
  invokeFunction: () => Promise<APIGatewayProxyStructuredResultV2>,
) => Promise<APIGatewayProxyStructuredResultV2>;
/**
 * A function served at a path, as API Gateway invokes it: its context names it and counts down from its
 * timeout, so that a function budgeting its waits in `getRemainingTimeInMillis()` (ingest) does so as in AWS.
 */
export interface HttpFunction {
  name: string;
  timeoutSeconds: number;
  handler: HttpHandler;
  /**
   * What API Gateway answers in its place when its invocation fails: the function's error (its init's
   * included), or its timeout (Lambda reports `Task timed out` as the function's error), after which
   * whatever it answers is dropped.
   */
  failed: APIGatewayProxyStructuredResultV2;
  /** API Gateway's own part, outside the invocation: what it adds to `failed` it adds to any answer. */
  gateway?: GatewayLayer;
  /** Told when an invocation outruns the timeout: its execution environment is reset (execution-environment.ts). */
  onTimeout?: () => void;
}
type JsonRoute = (request: {
  method: string;
  path: string;
  query: URLSearchParams;
}) => Promise<{ status: number; body: unknown } | undefined>;

/**
 * API Gateway refuses larger payloads before a function sees them, 413 with a `message` only (the operator API's
 * document declares it so); so does this server.
 */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads a body up to a limit; past it, stops reading and answers `undefined`. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** API Gateway passes text bodies as they are and base64-encodes the rest. */
const isText = (contentType: string | undefined) =>
  contentType === undefined ||
  contentType === 'application/json' ||
  /^(text\/|application\/(json|x-www-form-urlencoded|xml))/i.test(contentType);

/** A path and query as `new URL` would read them. */
interface Target {
  pathname: string;
  search: string;
  url?: URL;
}

/**
 * A plain path (letters, digits, `_`, `-`, single slashes; no query, dot segment or escape) is its own
 * pathname: the common case, read without building a URL. Anything else goes through `new URL`.
 */
const PLAIN_PATH = /^(?:\/[\w-]+)+\/?$|^\/$/;
const targetOf = (raw: string): Target => {
  if (PLAIN_PATH.test(raw)) return { pathname: raw, search: '' };
  const url = new URL(raw, 'http://127.0.0.1');
  return { pathname: url.pathname, search: url.search, url };
};

/**
 * Node joins repeated headers with `, ` but keeps `set-cookie` as a list; API Gateway joins with `,`. Node's
 * own object is handed on as it is when no header is a list (nearly always): no copy per request.
 */
function gatewayHeaders(incoming: IncomingMessage['headers']): Record<string, string> {
  let headers: Record<string, string> | undefined;
  for (const name in incoming) {
    const value = incoming[name];
    if (typeof value === 'string') continue;
    headers ??= { ...(incoming as Record<string, string>) };
    if (value === undefined) delete headers[name];
    else headers[name] = value.join(',');
  }
  return headers ?? (incoming as Record<string, string>);
}

/** `ANY <path>` for each path served: made once, not on every request. */
const routeKeys = new Map<string, string>();
const routeKeyOf = (pathname: string) => {
  let routeKey = routeKeys.get(pathname);
  if (routeKey === undefined) {
    routeKey = `ANY ${pathname}`;
    if (routeKeys.size < 1000) routeKeys.set(pathname, routeKey);
  }
  return routeKey;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * The request time as API Gateway writes it, `12/Mar/2020:19:03:58 +0000` (the example event of
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html),
 * written once a second: requests of the same second share it.
 */
let timeText = { second: -1, text: '' };
const timeOf = (epochMs: number) => {
  const second = Math.floor(epochMs / 1000);
  if (timeText.second !== second) {
    const d = new Date(second * 1000);
    const text = `${twoDigits(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())}:${twoDigits(d.getUTCSeconds())} +0000`;
    timeText = { second, text };
  }
  return timeText.text;
};

/**
 * The HTTP API event (payload 2.0) that API Gateway would hand the function for this request. A plain
 * object with plain values: getters on an object literal (one closure each, per request) cost more than the
 * values themselves, as the socket keeps its peer address and the request id comes from a pool.
 */
function toGatewayEvent(request: IncomingMessage, target: Target, body: Buffer): APIGatewayProxyEventV2 {
  const headers = gatewayHeaders(request.headers);
  const method = request.method ?? 'GET';
  const { pathname } = target;
  const routeKey = routeKeyOf(pathname);
  const timeEpoch = Date.now();
  const text = body.length > 0 && isText(headers['content-type']);
  return {
    version: '2.0',
    routeKey,
    rawPath: pathname,
    rawQueryString: target.search.slice(1),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: target.url?.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method,
        path: pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey,
      stage: '$default',
      time: timeOf(timeEpoch),
      timeEpoch,
    },
    body: text ? body.toString('utf8') : body.length > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: !text && body.length > 0,
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/** A function's answer as API Gateway writes it: header values as text, the length counted. */
function sendResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body ?? '';
  // A flat list of names and values: Node writes it as it is, without building another object.
  const headers: string[] = [];
  for (const name in result.headers)
    if (name !== 'content-length') headers.push(name, String(result.headers[name]));
  headers.push('content-length', String(Buffer.byteLength(body)));
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
}

/**
 * Whether a Host value is one this machine's own clients send: a loopback name, bare or with a port (any port:
 * a console's dev server that proxies `/api` forwards its own, `localhost:5173`). A page on another site that
 * has its name resolve to 127.0.0.1 (DNS rebinding) sends its own name, whatever the port, and gets nothing:
 * the local views (`/api/inquiries`…) answer without a token, and the operator API's local tokens are printed
 * in the README, so a token is no check either.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/421
 */
const isLoopbackHost = (host: string | undefined): boolean =>
  /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i.test(host ?? '');

export interface LocalHttpServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves the HTTP functions locally as API Gateway would: the VK callback, the operator API, and a JSON view of
 * the data. It listens on 127.0.0.1, and answers 421 to a request named for any other host, but on the
 * `tunnelPaths`: a tunnel from the internet to the VK callback names its own host, and the callback checks
 * its caller itself (the community's secret).
 */
export async function startHttpServer(options: {
  port: number;
  functions: Record<string, HttpFunction>;
  /** Paths served whatever the Host: exactly these, not what is under them. */
  tunnelPaths?: readonly string[];
  json: JsonRoute;
  onError: (error: unknown) => void;
  /** Whether a function's calls after its timeout fail (invocation.ts): yes, unless a benchmark says no. */
  stopCallsAfterTimeout?: boolean;
}): Promise<LocalHttpServer> {
  const tunnelPaths = new Set(options.tunnelPaths);
  const server = createServer(async (request, response) => {
    try {
      const target = targetOf(request.url ?? '/');
      const { pathname } = target;
      if (!tunnelPaths.has(pathname) && !isLoopbackHost(request.headers.host))
        return send(response, 421, { 'content-type': 'text/plain' }, 'only for this machine: use 127.0.0.1');
      // A key ending in `/*` serves every path under it, as an API Gateway `{proxy+}` route does.
      const served =
        options.functions[pathname] ??
        Object.entries(options.functions).find(
          ([path]) => path.endsWith('/*') && pathname.startsWith(path.slice(0, -1)),
        )?.[1];
      if (served) {
        const body = await readBody(request, GATEWAY_MAX_BODY_BYTES);
        if (!body)
          return send(
            response,
            413,
            { 'content-type': 'application/json' },
            JSON.stringify({ message: 'Request Entity Too Large' }),
          );
        const event = toGatewayEvent(request, target, body);
        const invokeFunction = () =>
          invoke(served.name, served.timeoutSeconds, (context) => served.handler(event, context), {
            stopCallsAfterTimeout: options.stopCallsAfterTimeout ?? true,
            ...(served.onTimeout && { onTimeout: served.onTimeout }),
          }).outcome.catch((error: unknown) => {
            options.onError(error);
            return served.failed;
          });
        return sendResult(
          response,
          await (served.gateway ? served.gateway(event, invokeFunction) : invokeFunction()),
        );
      }
      const answer = await options.json({
        method: request.method ?? 'GET',
        path: pathname,
        query: target.url?.searchParams ?? new URLSearchParams(),
      });
      if (!answer)
        return send(
          response,
          404,
          { 'content-type': 'application/json' },
          JSON.stringify({ message: 'not found' }),
        );
      return send(
        response,
        answer.status,
        { 'content-type': 'application/json; charset=utf-8' },
        JSON.stringify(answer.body, null, 2),
      );
    } catch (error) {
      options.onError(error);
      if (!response.headersSent) send(response, 500, { 'content-type': 'text/plain' }, 'internal error');
    }
  });
  // Clients keep connections open between requests; closing them sooner than clients expect resets the
  // next request sent on one (Node's default is 5 s).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
