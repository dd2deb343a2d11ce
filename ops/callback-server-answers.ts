import * as z from 'zod';
import type { VkApiClient, VkParams } from '../lambdas/adapters/vk-api-client.js';

/**
 * VK's answers to the methods vk:connect reads, as VK's API schema describes them (VKCOM/vk-api-schema
 * groups/responses.json, groups/objects.json: groups_callback_server). Tolerant as VK is: only the fields
 * used are required, unknown fields pass.
 */
export const confirmationCodeAnswer = z.looseObject({ code: z.string().min(1) });

const callbackServer = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  url: z.string(),
  secret_key: z.string(),
  /**
   * `unconfigured`, `wait`, `ok` or `failed` as VK documents it; any other text passes, as the run waits for
   * `ok` and stops at `failed` only, and a server of another's with a status VK adds must not stop it.
   */
  status: z.string(),
});
export type CallbackServer = z.infer<typeof callbackServer>;

export const callbackServersAnswer = z.looseObject({ items: z.array(callbackServer) });
export const addedServerAnswer = z.looseObject({ server_id: z.number().int() });
/** Each event VK may send, 1 when it is sent to the server, 0 when not. */
export const callbackSettingsAnswer = z.looseObject({
  api_version: z.string().optional(),
  events: z.record(z.string(), z.number()).optional(),
});

/**
 * VK answered a method with something other than what it documents: nothing is done with it (a confirmation
 * code that is no text would be stored as the code, a server with no id waited for until the timeout). Said
 * by the paths and kinds of the faults, never by the values: a server's answer holds its secret.
 */
export class VkAnswerUnexpectedError extends Error {
  override name = 'VkAnswerUnexpectedError';
}

/** VK's answer to `method`, read by `schema` before anything is done with it. */
export async function vkAnswer<T>(
  vk: VkApiClient,
  method: string,
  params: VkParams,
  schema: z.ZodType<T>,
): Promise<T> {
  const parsed = schema.safeParse(await vk.call<unknown>(method, params));
  if (parsed.success) return parsed.data;
  const faults = parsed.error.issues.map(
    (issue) => `${issue.path.map(String).join('.') || 'response'}: ${issue.code}`,
  );
  throw new VkAnswerUnexpectedError(
    `VK's answer to ${method} is not as VK documents it (${faults.join(', ')}): nothing was done with it. Is --vk-api right? A run again is safe`,
  );
}
