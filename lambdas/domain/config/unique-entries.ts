import type { ConfigProblem } from './config-error.js';
import type { SecretRef } from './secret-ref.js';

/**
 * Each entry of a list whose key an earlier entry has, named with that entry, so that a copied entry whose
 * key was not changed is found at once: `departments[6].id: "housing" is already departments[1]`.
 */
export function repeatedKeys<T>(
  entries: readonly T[],
  list: string,
  field: string,
  keyOf: (entry: T) => string | number,
): ConfigProblem[] {
  const firstOf = new Map<string | number, number>();
  return entries.flatMap((entry, index) => {
    const key = keyOf(entry);
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, index);
      return [];
    }
    return [{ path: [list, index, field], message: `${JSON.stringify(key)} is already ${list}[${first}]` }];
  });
}

/** The secret references of a community, as ingest and the whole configuration both read them. */
export interface CommunitySecretRefs {
  callbackSecret: SecretRef;
  previousCallbackSecret?: SecretRef | undefined;
  confirmationCode: SecretRef;
  tokens?: { community?: SecretRef | undefined; user?: SecretRef | undefined } | undefined;
}

/**
 * SSM parameters that two places of the communities name, where each must have its own: a callback secret,
 * a previous callback secret, a confirmation code and a community token are one community's each. Shared,
 * ingest would check one community's events with another's secret, and `vk:connect` would give VK that
 * secret and overwrite the other's confirmation code (and its previous secret, or its current one); a
 * community token acts for the community VK issued it to only. A user token is an admin's and may serve
 * every community they administer: several communities' `tokens.user` may name one parameter, which then
 * keeps one rate-limit line for the token (docs/answering-citizens.md, "Rate limit"), but no other field may name it.
 */
export function sharedParameters(communities: readonly CommunitySecretRefs[]): ConfigProblem[] {
  const firstNamedBy = new Map<string, { where: string; field: string }>();
  const problems: ConfigProblem[] = [];
  communities.forEach((community, index) => {
    for (const [field, reference] of secretReferences(community)) {
      if (reference === undefined) continue;
      const { parameter } = reference;
      const first = firstNamedBy.get(parameter);
      if (first === undefined) {
        firstNamedBy.set(parameter, { where: `communities[${index}].${field}`, field });
        continue;
      }
      if (field === 'tokens.user' && first.field === 'tokens.user') continue;
      problems.push({
        path: ['communities', index, ...field.split('.')],
        message: `"${parameter}" is already ${first.where}`,
      });
    }
  });
  return problems;
}

/** A community's secret references, each with the field that names it (`tokens.community`). */
export const secretReferences = (community: CommunitySecretRefs): [string, SecretRef | undefined][] => [
  ['callbackSecret', community.callbackSecret],
  ['previousCallbackSecret', community.previousCallbackSecret],
  ['confirmationCode', community.confirmationCode],
  ['tokens.community', community.tokens?.community],
  ['tokens.user', community.tokens?.user],
];
