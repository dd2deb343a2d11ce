import { VkApiError } from '../domain/vk-api/errors.js';

/** The API version our calls and our callback server speak. */
export const VK_API_VERSION = '5.199';
export const VK_API_BASE_URL = 'https://api.vk.com/method';

export type VkParams = Record<string, string | number | boolean | undefined>;

/**
 * The most of an answer read: VK's answers to the calls made (a message's id, a comment's, a few callback
 * servers) are a few KB; a larger body is not VK's, and is not held in the function's memory.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/** The most of VK's `error_msg` kept: it is recorded in the inquiry's history as the reason. */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

/**
 * What answered is not an answer of the VK API: not JSON (a proxy's error page), no `response` nor an `error`
 * with a numeric code, or too large. Like no answer at all: VK may have done the call, so it is tried again
 * (the same random_id / guid makes that safe), never taken for a delivery.
 */
export class VkAnswerUnreadable extends Error {
  override name = 'VkAnswerUnreadable';
}

interface VkApiClientOptions {
  /** `https://api.vk.com/method` in production; a stand-in VK locally and in tests. */
  baseUrl?: string;
  timeoutMs?: number;
}

/**
 * Calls VK API methods: POST https://api.vk.com/method/NAME with form parameters, the token in the
 * Authorization header (so it never appears in a URL or a log). VK answers errors with HTTP 200 and
 * `{"error": {...}}` in the body, so the body decides, not the status.
 * https://dev.vk.com/ru/api/api-requests
 */
export class VkApiClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly token: string,
    options: VkApiClientOptions = {},
  ) {
    this.baseUrl = (options.baseUrl ?? VK_API_BASE_URL).replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async call<T>(method: string, params: VkParams): Promise<T> {
    const form = new URLSearchParams({ v: VK_API_VERSION });
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined)
        form.set(name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
    }
    const response = await fetch(`${this.baseUrl}/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new VkApiError(method, 10, `HTTP ${response.status}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(await textWithin(response, MAX_ANSWER_BYTES));
    } catch (error) {
      if (error instanceof VkAnswerUnreadable || error instanceof SyntaxError)
        throw new VkAnswerUnreadable(
          `${method}: ${error instanceof SyntaxError ? 'not JSON' : error.message}`,
        );
      throw error;
    }
    if (typeof body !== 'object' || body === null) throw new VkAnswerUnreadable(`${method}: not an object`);
    if ('error' in body) {
      const error = body.error as { error_code?: unknown; error_msg?: unknown } | null;
      if (typeof error !== 'object' || error === null || !Number.isInteger(error.error_code))
        throw new VkAnswerUnreadable(`${method}: an error with no numeric error_code`);
      const message = typeof error.error_msg === 'string' ? error.error_msg : '';
      throw new VkApiError(method, error.error_code as number, message.slice(0, MAX_ERROR_MESSAGE_LENGTH));
    }
    if (!('response' in body)) throw new VkAnswerUnreadable(`${method}: neither response nor error`);
    return body.response as T;
  }
}

/** The body as text, read no further than `max` bytes (VkAnswerUnreadable beyond). */
async function textWithin(response: Response, max: number): Promise<string> {
  if (Number(response.headers.get('content-length')) > max) {
    await response.body?.cancel();
    throw new VkAnswerUnreadable(`larger than ${max} bytes`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new VkAnswerUnreadable(`larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
