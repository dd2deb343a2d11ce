import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Headers on every answer of the operator API's function, its errors too: the answers hold citizens' words
 * and VK ids, and a console may run on a shared workstation.
 * - `Cache-Control: no-store`: no browser or proxy keeps a copy
 *   (https://www.rfc-editor.org/rfc/rfc9111#name-no-store). It does not stop a change made on what was read:
 *   the console sends the ETag of the answer it holds in memory back as `If-Match`, which no cache takes part in.
 * - `X-Content-Type-Options: nosniff`: a browser takes the answer for the JSON it says it is, never for HTML or
 *   a script, whatever markup a citizen's words hold
 *   (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Content-Type-Options).
 * API Gateway's own answers (its authorizer's 401, a throttled 429) carry neither, and hold no citizen's data.
 */
const ANSWER_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** A middy middleware that puts ANSWER_HEADERS on the handler's answer, whatever it is. */
export const answerHeaders = () => ({
  after: (request: { response: APIGatewayProxyStructuredResultV2 | null | undefined }) => {
    if (!request.response) return;
    request.response = {
      ...request.response,
      headers: { ...request.response.headers, ...ANSWER_HEADERS },
    };
  },
});
