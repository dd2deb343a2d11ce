import type { HttpHandler } from './http-server.js';

/** The methods a browser sends without asking first, and that change nothing here. */
const READING = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Under `npm start`, a request that changes something (an answer sent, a case closed) named by a web page of
 * an origin that is neither the server's own (`http://<Host>`) nor one of `operatorApi.allowedOrigins` is
 * answered 403 before its token is read: the local tokens are printed in the README, so a token proves
 * nothing of the page that sends it. A browser names the page in `Origin` on every such request and no page
 * can change it (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Origin); curl and scripts send
 * none and pass. In AWS each operator's token is their own, and API Gateway makes no such check.
 */
export function withForeignOriginsRefused(
  handler: HttpHandler,
  allowedOrigins: readonly string[],
): HttpHandler {
  const allowed = new Set(allowedOrigins);
  return async (event, context) => {
    const origin = event.headers?.origin;
    if (origin === undefined || READING.has(event.requestContext.http.method) || allowed.has(origin))
      return handler(event, context);
    const own = `http://${event.headers?.host ?? ''}`.toLowerCase();
    if (origin.toLowerCase() === own) return handler(event, context);
    return {
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Forbidden' }),
    };
  };
}
