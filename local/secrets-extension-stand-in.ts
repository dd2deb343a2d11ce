import type { IncomingMessage, ServerResponse } from 'node:http';

/** The extension's text for any failed GetParameter: no such parameter, access denied, throttling. */
const EXTENSION_FAILURE_TEXT = 'an unexpected error occurred while executing request';

/**
 * Answers as the AWS Parameters and Secrets Lambda Extension, which runs only inside Lambda, answers
 * GetParameter, for the tests and the benchmark: the parameter as JSON with 200; 401 without the function's
 * session token; 400 with the same text for any failure of GetParameter, a missing parameter among them.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html
 */
export function answerAsSecretsExtension(values: Readonly<Record<string, string>>, sessionToken: string) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.headers['x-aws-parameters-secrets-token'] !== sessionToken) {
      response.writeHead(401).end('missing or wrong X-Aws-Parameters-Secrets-Token');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const name = url.searchParams.get('name') ?? '';
    const value = values[name];
    if (url.pathname !== '/systemsmanager/parameters/get' || value === undefined) {
      response.writeHead(400).end(EXTENSION_FAILURE_TEXT);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        Parameter: {
          Name: name,
          Type: 'SecureString',
          Value: value,
          Version: 1,
          DataType: 'text',
          Selector: null,
        },
        ResultMetadata: {},
      }),
    );
  };
}
