import { OPERATOR_API_CORS } from '../lambdas/operator-api/cors.js';
import type { HttpHandler } from './http-server.js';

/**
 * The local stand-in for the CORS configuration API Gateway gets from the same `operatorApi.allowedOrigins`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html): a preflight (OPTIONS with
 * `Origin` and `Access-Control-Request-Method`) is answered here, before the token is checked, as the browser
 * sends none with it; any other request goes on, and its answer carries the headers when its origin is allowed.
 * An origin not allowed gets no `Access-Control-Allow-Origin`, and the browser keeps the answer from the page.
 * No origins: the handler as it is, as API Gateway without a CORS configuration.
 */
export function withCors(handler: HttpHandler, allowedOrigins: readonly string[]): HttpHandler {
  if (allowedOrigins.length === 0) return handler;
  const allowed = new Set(allowedOrigins);
  // The answer depends on the Origin: a cache must not hand one origin's answer to another.
  const vary = { vary: 'origin' };
  return async (event, context) => {
    const headers = event.headers ?? {};
    const origin = headers.origin;
    const isAllowed = origin !== undefined && allowed.has(origin);
    const preflight =
      event.requestContext.http.method === 'OPTIONS' &&
      origin !== undefined &&
      headers['access-control-request-method'] !== undefined;
    if (preflight)
      return {
        statusCode: 204,
        headers: isAllowed
          ? {
              ...vary,
              'access-control-allow-origin': origin,
              'access-control-allow-methods': OPERATOR_API_CORS.allowMethods.join(','),
              'access-control-allow-headers': OPERATOR_API_CORS.allowHeaders.join(','),
              'access-control-max-age': String(OPERATOR_API_CORS.maxAgeSeconds),
            }
          : vary,
        body: '',
      };
    const result = await handler(event, context);
    return {
      ...result,
      headers: {
        ...result.headers,
        ...vary,
        ...(isAllowed && {
          'access-control-allow-origin': origin,
          'access-control-expose-headers': OPERATOR_API_CORS.exposeHeaders.join(','),
        }),
      },
    };
  };
}
