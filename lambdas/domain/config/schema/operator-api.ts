import * as z from 'zod';

/** Host names of the developer's own machine: the only ones a console may be served from over plain http. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A web origin as a browser sends it in `Origin` (https://console.example.gov.ru): scheme, host and port, no
 * path, no trailing slash, lower case, punycode. API Gateway and the local runtime compare it as text, so
 * anything else would never match; a wildcard is refused, each console is named. Plain http only on the
 * developer's machine: a page served over http could be changed on the way to read the operator's token.
 */
const originSchema = z.string().superRefine((origin, context) => {
  const refuse = (message: string) =>
    context.addIssue({ code: 'custom', message: `"${origin}": ${message}` });
  if (origin.includes('*'))
    return refuse('no wildcard: name each origin, e.g. https://console.example.gov.ru');
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return refuse('not an origin such as https://console.example.gov.ru');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    return refuse('https only (http only for localhost, 127.0.0.1 or [::1])');
  if (url.origin !== origin) return refuse(`write it as a browser sends it: "${url.origin}"`);
});

/** Web pages of other origins that may call the operator API (CORS). */
export const operatorApiSchema = z.strictObject({
  /**
   * The origins of the operators' console, exact. Empty (the default): CORS is off, no page of another origin
   * may call the API, which is what a console served from the API's own origin needs.
   */
  allowedOrigins: z
    .array(originSchema)
    .default([])
    .refine((origins) => new Set(origins).size === origins.length, { message: 'an origin is listed twice' }),
});
