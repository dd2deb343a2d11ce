/**
 * What a console on another origin may do with the operator API (CORS), for the origins of the configuration's
 * `operatorApi.allowedOrigins`: one list for API Gateway (lib/constructs/operator-api.ts) and for the local
 * runtime (local/cors.ts), which answers the same.
 *
 * The console sends its token in `Authorization`, not in a cookie, so no credentials are allowed: the browser
 * sends the header it is given either way.
 */
export const OPERATOR_API_CORS = {
  /** PUT and DELETE: a department's answer templates, kept and deleted. */
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
  /**
   * The request headers the API reads beyond the safelisted ones (JSON bodies are not safelisted), `If-Match`
   * among them: a change made only on the inquiry the console shows.
   */
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
  /**
   * The response headers a console needs beyond the safelisted ones: `Retry-After` and `Idempotency-Key` of a
   * 503 (a change saved, its message not yet queued: when, and with what key, to repeat it), `WWW-Authenticate`
   * of a 401 (why the token was refused), API Gateway's request id, to quote when reporting a failure,
   * `ETag`, the inquiry's version, to send back as `If-Match`, `Allow` of a 405 (the method the path takes),
   * and `Content-Disposition` of the statistics as a CSV file (the name to save it under).
   */
  exposeHeaders: [
    'retry-after',
    'www-authenticate',
    'apigw-requestid',
    'etag',
    'idempotency-key',
    'allow',
    'content-disposition',
  ],
  /**
   * How long a browser may reuse a preflight's answer: Chromium honours at most 2 hours, Firefox 24
   * (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Access-Control-Max-Age).
   */
  maxAgeSeconds: 7200,
} as const;
