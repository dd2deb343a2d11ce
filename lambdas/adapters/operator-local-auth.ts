import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { AppConfig } from '../domain/config/schema.js';
import type { SecretStore } from '../domain/ports.js';
import { secretsMatch } from '../ingest/secrets-match.js';

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The local runtime's stand-in for API Gateway's JWT authorizer: a bearer token from the local configuration
 * (`localOperators`, values in the secrets file) becomes the claims Cognito's ID token would give (`sub`,
 * `token_use`, `name`, which names the operator in the history, `cognito:groups` as API Gateway passes an
 * array: `[a b]`); any other request to a protected path is answered 401 before the function sees it, as API
 * Gateway does.
 */
export function withLocalAuthorizer(
  handler: HttpHandler,
  config: AppConfig,
  secrets: SecretStore,
  publicPaths: string[],
): HttpHandler {
  return async (event, context) => {
    const { authorizer: _ignored, ...requestContext } =
      event.requestContext as typeof event.requestContext & {
        authorizer?: unknown;
      };
    // Whatever a caller puts in the event is not trusted: only this verifier sets the claims.
    const clean = { ...event, requestContext } as APIGatewayProxyEventV2;
    if (publicPaths.includes(event.rawPath)) return handler(clean, context);
    const header = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'authorization',
    )?.[1];
    const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    for (const operator of token ? (config.localOperators ?? []) : []) {
      // In constant time, as ingest compares VK's secret: a `!==` returns sooner the sooner the tokens differ.
      const expected = await secrets.get(operator.token.parameter);
      if (expected === undefined || !secretsMatch(token ?? '', expected)) continue;
      const claims = {
        sub: operator.sub,
        // An ID token's, as the function takes no other (access.ts).
        token_use: 'id',
        name: operator.name,
        'cognito:groups': `[${operator.groups.join(' ')}]`,
      };
      return handler(
        {
          ...clean,
          requestContext: { ...requestContext, authorizer: { jwt: { claims, scopes: [] } } },
        } as never,
        context,
      );
    }
    return {
      statusCode: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
      body: JSON.stringify({ message: 'Unauthorized' }),
    };
  };
}
