import {
  VK_API_BASE_URL,
  VkAnswerUnreadable,
  VkApiClient,
  type VkParams,
} from '../lambdas/adapters/vk-api-client.js';
import { VkApiError } from '../lambdas/domain/vk-api/errors.js';

/** The VK API could not be reached, or what answered is not the VK API: most often a wrong --vk-api. */
export class VkApiUnreachableError extends Error {
  override name = 'VkApiUnreachableError';
}

/** VK did not answer in time: a change asked for may have been made all the same. */
export class VkApiTimeoutError extends Error {
  override name = 'VkApiTimeoutError';
}

/**
 * VK's errors that pass when asked again a little later: 6 (too many requests per second), 9 (flood control),
 * 10 (internal server error), 36 (the method ran out of time). https://dev.vk.com/ru/reference/errors
 */
const TRANSIENT = new Set([6, 9, 10, 36]);

/**
 * Not asked again: after error 10 or 36 VK may have added the server, and a second one would be added. A run
 * again finds it at its URL instead.
 */
const NOT_REPEATED = new Set(['groups.addCallbackServer']);

/** Methods that change what VK holds: a timeout leaves it unknown whether they did. */
const CHANGES = /^groups\.(add|edit|delete|set)/;

export interface ConnectingVkApiClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  /** The waits before asking again after a transient error, one for each try again. */
  retryDelaysMs?: readonly number[];
}

/**
 * The VK API client of vk:connect: it asks again after VK's transient errors (but never adds a server twice),
 * and tells a call that never reached VK, or got no answer in time, from VK's own errors.
 */
export class ConnectingVkApiClient extends VkApiClient {
  private readonly baseUrlGiven: string;
  private readonly timeoutSeconds: number;
  private readonly retryDelaysMs: readonly number[];

  constructor(token: string, options: ConnectingVkApiClientOptions) {
    super(token, { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs });
    this.baseUrlGiven = options.baseUrl;
    this.timeoutSeconds = (options.timeoutMs ?? 10_000) / 1000;
    this.retryDelaysMs = options.retryDelaysMs ?? [1000, 2000];
  }

  override async call<T>(method: string, params: VkParams): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.callOnce<T>(method, params);
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        if (
          !(error instanceof VkApiError) ||
          !TRANSIENT.has(error.code) ||
          NOT_REPEATED.has(method) ||
          delay === undefined
        )
          throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async callOnce<T>(method: string, params: VkParams): Promise<T> {
    try {
      return await super.call<T>(method, params);
    } catch (error) {
      if (error instanceof VkApiError) throw error;
      if ((error as Error).name === 'TimeoutError')
        throw new VkApiTimeoutError(
          `VK did not answer ${method} within ${this.timeoutSeconds} s${CHANGES.test(method) ? ': it may have made the change all the same. See what VK holds with --status; a run again is safe' : ': run again'}`,
        );
      // fetch fails with a TypeError whose cause names the network error (ECONNREFUSED, ENOTFOUND…).
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason =
        error instanceof VkAnswerUnreadable
          ? 'what answered is not the VK API'
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new VkApiUnreachableError(
        `could not call ${method} at ${this.baseUrlGiven} (${reason}): is --vk-api right? Without it, ${VK_API_BASE_URL}`,
      );
    }
  }
}
