import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { EXTENSION_HOST } from '../../../lambdas/adapters/extension-secret-store.js';
import { withLocalAuthorizer } from '../../../lambdas/adapters/operator-local-auth.js';
import { fileSecretStore } from '../../../lambdas/adapters/secret-store.js';
import type { AppConfig } from '../../../lambdas/domain/config/schema.js';
import { OPENAPI_PATH } from '../../../lambdas/operator-api/routes.js';
import { answerAsSecretsExtension } from '../../../local/secrets-extension-stand-in.js';
import { lambdaContext } from '../../integration/ingest-requests.js';

/** The secrets file the extension stand-in serves: the values of config/local.json's parameters. */
const SECRETS_FILE = 'config/local.secrets.json';
const SESSION_TOKEN = 'grants-test-session-token';

const listen = async (server: Server, host: string) => {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/**
 * The AWS Parameters and Secrets Lambda extension as the functions that have its layer reach it (a GET on
 * 127.0.0.1 with the session token), answering from the local secrets file; the functions' environment is
 * pointed at it instead of the local file, so that their secret reads leave on HTTP and are recorded.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html
 */
export async function startSecretsExtension() {
  const values = JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as Record<string, string>;
  const server = createServer(answerAsSecretsExtension(values, SESSION_TOKEN));
  const { port, stop } = await listen(server, EXTENSION_HOST);
  delete process.env.LOCAL_SECRETS_FILE;
  Object.assign(process.env, {
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port),
    AWS_SESSION_TOKEN: SESSION_TOKEN,
  });
  return { stop };
}

/**
 * SNS is not emulated: a server that answers Publish as SNS does (the query protocol's XML), so that the
 * escalator's real SDK client sends its calls over HTTP, where they are recorded. Sets the SDK's endpoint
 * variable for SNS and the topic the escalator publishes to.
 */
export async function startSnsStandIn(topicArn: string) {
  let published = 0;
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      published++;
      response
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${published}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${published}</RequestId></ResponseMetadata></PublishResponse>`,
        );
    });
  });
  const { port, stop } = await listen(server, '127.0.0.1');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${port}`,
    ESCALATION_TOPIC_ARN: topicArn,
  });
  return { published: () => published, stop };
}

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** The housing department's operator of the local configuration: its bearer token in the secrets file. */
const HOUSING_OPERATOR_TOKEN = 'local-housing-token-change-me';
/** Each request's id, which is also its idempotency key when it has no header: one per request of the process. */
let requests = 0;

/**
 * The operator API function as API Gateway's HTTP API hands it the housing operator's requests (payload
 * 2.0). The JWT authorizer is API Gateway's, not the function's: the local verifier of the secrets file's
 * tokens stands in for it. Call after startTestAws, which sets the environment the function reads when it is
 * imported.
 */
export async function operatorApiBehindAuthorizer(config: AppConfig) {
  const operatorApi = withLocalAuthorizer(
    (await import('../../../lambdas/operator-api/handler.js')).handler as unknown as HttpHandler,
    config,
    fileSecretStore(SECRETS_FILE),
    [OPENAPI_PATH],
  );
  /** One request, `path` with its query; the answer's status and parsed JSON body. */
  return async function operatorRequest(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const [rawPath = '', rawQueryString = ''] = path.split('?');
    const answer = await operatorApi(
      {
        version: '2.0',
        routeKey: '$default',
        rawPath,
        rawQueryString,
        headers: { authorization: `Bearer ${HOUSING_OPERATOR_TOKEN}`, ...headers },
        requestContext: {
          http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
          requestId: `grants-${++requests}`,
        },
        ...(body !== undefined && { body: JSON.stringify(body), isBase64Encoded: false }),
      } as unknown as APIGatewayProxyEventV2,
      lambdaContext,
    );
    return { status: answer.statusCode, body: JSON.parse(answer.body ?? 'null') };
  };
}
