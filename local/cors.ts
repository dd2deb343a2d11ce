import { OPERATOR_API_CORS } from '../lambdas/operator-api/cors.js';
import type { GatewayLayer } from './http-server.js';

/**
 * The local stand-in for the CORS configuration API Gateway gets from the same `operatorApi.allowedOrigins`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html): a preflight (OPTIONS with
 * `Origin` and `Access-Control-Request-Method`) is answered here, without invoking the function and so before
 * the token is checked, as the browser sends none with it; any other request goes on, and its answer carries
 * the headers when its origin is allowed: the function's, and API Gateway's own when the function failed or timed out,
 * which the console must be let read as well. An origin not allowed gets no `Access-Control-Allow-Origin`,
 * and the browser keeps the answer from the page. No origins: none, as API Gateway without a CORS
 * configuration.
 */
export function corsGateway(allowedOrigins: readonly string[]): GatewayLayer | undefined {
  if (allowedOrigins.length === 0) return undefined;
  const allowed = new Set(allowedOrigins);
  // The answer depends on the Origin: a cache must not hand one origin's answer to another.
  const vary = { vary: 'origin' };
  return async (event, invokeFunction) => {
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
    const result = await invokeFunction();
    // Beside what the function's answer varies by (the statistics: `Accept`), not over it.
    const varies = result.headers?.vary;
    return {
      ...result,
      headers: {
        ...result.headers,
        vary: varies === undefined ? vary.vary : `${varies}, ${vary.vary}`,
        ...(isAllowed && {
          'access-control-allow-origin': origin,
          'access-control-expose-headers': OPERATOR_API_CORS.exposeHeaders.join(','),
        }),
      },
    };
  };
}
