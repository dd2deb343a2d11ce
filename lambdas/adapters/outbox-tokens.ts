import { communityOf } from '../domain/config/community-of.js';
import type { AppConfig } from '../domain/config/schema.js';
import type { CommunityTokens } from '../domain/outbox/ports.js';
import type { SecretStore } from '../domain/ports.js';

/** The community's tokens from the secret store (SSM with caching in AWS, a file locally), by config reference. */
export function secretStoreTokens(config: AppConfig, secrets: SecretStore): CommunityTokens {
  return {
    async tokenFor(groupId, kind) {
      const community = communityOf(config, groupId);
      const reference = community?.tokens?.[kind];
      if (!reference) return undefined;
      const value = await secrets.get(reference.parameter);
      return value === undefined || value === '' ? undefined : value;
    },
    refused(groupId, kind) {
      const reference = communityOf(config, groupId)?.tokens?.[kind];
      if (reference) secrets.forget?.(reference.parameter);
    },
  };
}
