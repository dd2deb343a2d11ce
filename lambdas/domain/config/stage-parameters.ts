import { type CommunitySecretRefs, secretReferences } from './unique-entries.js';

/** How the shipped configurations name a stage's parameters: `/vk-inquiries/<stage>/communities/<id>/…`. */
const STAGE_PARAMETER = /^\/vk-inquiries\/([^/]+)\//;

/**
 * What `cdk synth` warns of: a community's parameter named under another stage's path, as in a configuration
 * copied from that stage's. In one account and region both stages would read the same secrets, and
 * `vk:connect` of one would store its confirmation code and previous secret over the other's. A warning, not a
 * refusal: in another region the same name is another parameter.
 */
export function otherStagesParameters(
  communities: readonly (CommunitySecretRefs & { groupId: number })[],
  stage: string,
): string[] {
  return communities.flatMap((community, index) =>
    secretReferences(community).flatMap(([field, reference]) => {
      const owner = reference && STAGE_PARAMETER.exec(reference.parameter)?.[1];
      if (!owner || owner === stage) return [];
      return [
        `communities[${index}].${field} (community ${community.groupId}) is "${reference.parameter}", a parameter of stage ${owner}, not of ${stage}: in the same account and region both stages would read it, and vk:connect of one would overwrite the other's. Name this stage's own (/vk-inquiries/${stage}/…) and store its values there (docs/deploying.md)`,
      ];
    }),
  );
}
