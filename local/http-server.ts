import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context.js';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
export type JsonRoute = (request: {
  method: string;
  path: string;
  query: URLSearchParams;
}) => Promise<{ status: number; body: unknown } | undefined>;

/** API Gateway refuses larger payloads before a function sees them; so does this server. */
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
  contentType === undefined || /^(text\/|application\/(json|x-www-form-urlencoded|xml))/i.test(contentType);

/** The HTTP API event (payload format 2.0) that API Gateway would hand the function for this request. */
function toGatewayEvent(request: IncomingMessage, url: URL, body: Buffer): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : value,
    ]),
  ) as Record<string, string>;
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: `ANY ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: `ANY ${url.pathname}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body.length > 0 && isText(headers['content-type'])
      ? { body: body.toString('utf8'), isBase64Encoded: false }
      : { body: body.length > 0 ? body.toString('base64') : undefined, isBase64Encoded: body.length > 0 }),
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

export interface LocalHttpServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves the HTTP functions locally as API Gateway would: the VK callback, and a JSON view of the data. */
export async function startHttpServer(options: {
  port: number;
  functions: Record<string, HttpHandler>;
  json: JsonRoute;
  onError: (error: unknown) => void;
}): Promise<LocalHttpServer> {
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      // A key ending in `/*` serves every path under it, as an API Gateway `{proxy+}` route does.
      const handler =
        options.functions[url.pathname] ??
        Object.entries(options.functions).find(
          ([path]) => path.endsWith('/*') && url.pathname.startsWith(path.slice(0, -1)),
        )?.[1];
      if (handler) {
        const body = await readBody(request, GATEWAY_MAX_BODY_BYTES);
        if (!body) return send(response, 413, { 'content-type': 'text/plain' }, 'request too large');
        const result = await handler(toGatewayEvent(request, url, body), lambdaContext('http', 10));
        const headers = Object.fromEntries(
          Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        return send(response, result.statusCode ?? 200, headers, result.body ?? '');
      }
      const answer = await options.json({
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
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
