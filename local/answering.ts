import { fileSecretStore } from '../lambdas/adapters/secret-store.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { ExecutionEnvironment } from './execution-environment.js';
import { taggedWith } from './fresh-modules.js';
import { operatorApiFunction } from './http-functions.js';
import type { HttpFunction, HttpHandler } from './http-server.js';
import { withForeignOriginsRefused } from './origin-check.js';
import { VkStandIn } from './vk-stand-in.js';

/**
 * The stand-in VK API the local responder answers citizens through: it knows each configured community's
 * tokens (read from the local secrets file, as the responder reads them), records every call and can be told
 * to fail. With `baseUrl` given, that VK is used instead and nothing is started.
 */
export async function startLocalVk(
  config: AppConfig,
  secretsFile: string,
  baseUrl?: string,
): Promise<{ baseUrl: string; standIn?: VkStandIn; stop(): Promise<void> }> {
  if (baseUrl) return { baseUrl, stop: async () => undefined };
  const secrets = fileSecretStore(secretsFile);
  const standIn = new VkStandIn();
  for (const community of config.communities) {
    const read = async (reference: { parameter: string } | undefined) =>
      reference ? await secrets.get(reference.parameter) : undefined;
    const communityToken = await read(community.tokens?.community);
    if (!communityToken) continue;
    const userToken = await read(community.tokens?.user);
    standIn.addCommunity(
      community.groupId,
      { community: communityToken, ...(userToken && { user: userToken }) },
      await read(community.confirmationCode),
    );
  }
  return { baseUrl: await standIn.start(), standIn, stop: () => standIn.stop() };
}

const OPERATOR_API_HANDLER = new URL('../lambdas/operator-api/handler.js', import.meta.url).href;

/**
 * The operator API's handler, in its execution environment, behind the local stand-ins for API Gateway's CORS configuration and JWT
 * authorizer, at the paths API Gateway routes to it; a change asked by a page of another origin is refused
 * (local/origin-check.ts). Import only after the functions' environment is set.
 */
export async function localOperatorApi(
  config: AppConfig,
  secretsFile: string,
): Promise<Record<string, HttpFunction>> {
  const environment = new ExecutionEnvironment(
    'operator-api',
    async (generation) =>
      (await import(taggedWith(OPERATOR_API_HANDLER, generation))).handler as unknown as HttpHandler,
  );
  await environment.start();
  const { API_PREFIX, OPENAPI_PATH } = await import('../lambdas/operator-api/routes.js');
  const { withLocalAuthorizer } = await import('../lambdas/adapters/operator-local-auth.js');
  const { allowedOrigins } = config.operatorApi;
  const served = operatorApiFunction(
    withForeignOriginsRefused(
      withLocalAuthorizer(
        (event, context) => environment.invoke(event, context),
        config,
        fileSecretStore(secretsFile),
        [OPENAPI_PATH],
      ),
      allowedOrigins,
    ),
    allowedOrigins,
    () => environment.reset(),
  );
  return { [`${API_PREFIX}/*`]: served, [OPENAPI_PATH]: served };
}
