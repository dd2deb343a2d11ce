import { VkApiError } from '../domain/vk-api/errors.js';

/** The API version our calls and our callback server speak. */
export const VK_API_VERSION = '5.199';
export const VK_API_BASE_URL = 'https://api.vk.com/method';

export type VkParams = Record<string, string | number | boolean | undefined>;

export interface VkApiClientOptions {
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
    if (!response.ok) throw new VkApiError(method, 10, `HTTP ${response.status}`);
    const body = (await response.json()) as {
      response?: T;
      error?: { error_code: number; error_msg: string };
    };
    if (body.error) throw new VkApiError(method, body.error.error_code, body.error.error_msg);
    return body.response as T;
  }
}
