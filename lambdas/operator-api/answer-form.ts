import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AnswerForm, type ApiAnswer, problem, type RouteDeps } from './api.js';
import { preferredMediaType } from './media-type.js';

const JSON_TYPE = 'application/json';

/**
 * What `Accept` asks of a route: for one with another form, JSON when it allows it as much as the other form
 * (and with no `Accept`, or `*\/*`), the other form when it prefers it, a 406 when it allows neither. A route
 * with no other form answers JSON whatever `Accept` says, as it always has.
 */
export function askedForm(
  form: AnswerForm | undefined,
  accept: string | undefined,
): { form?: AnswerForm } | { refused: ApiAnswer } {
  if (!form) return {};
  const asked = preferredMediaType(accept, [JSON_TYPE, form.mediaType]);
  if (asked === undefined)
    return {
      refused: problem(
        406,
        'not_acceptable',
        `this route answers ${JSON_TYPE} or ${form.mediaType}: ask for one`,
      ),
    };
  return asked === form.mediaType ? { form } : {};
}

/**
 * The answer in a route's other form (a CSV file), as an attachment named for what it holds: a browser saves
 * it under that name, and `curl -OJ` too.
 */
export function formAnswer(
  form: AnswerForm,
  answer: ApiAnswer,
  query: unknown,
  deps: RouteDeps,
): APIGatewayProxyStructuredResultV2 {
  const { text, filename } = form.write(answer.body, query, deps);
  return {
    statusCode: answer.status,
    headers: {
      ...answer.headers,
      'content-type': `${form.mediaType}; charset=utf-8`,
      'content-disposition': `attachment; filename="${filename}"`,
    },
    body: text,
  };
}

/**
 * Every answer of a route with another form says it depends on `Accept` (`Vary`), its errors too, which are
 * JSON whatever was asked for.
 */
export const varyingByAccept = (
  result: APIGatewayProxyStructuredResultV2,
): APIGatewayProxyStructuredResultV2 => ({
  ...result,
  headers: { ...result.headers, vary: 'accept' },
});
