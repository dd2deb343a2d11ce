/**
 * The configured community of a VK group (`communities[]`), or undefined: one never configured, or removed
 * from the configuration since an inquiry of it was stored. What that means is the caller's to say.
 */
export const communityOf = <Community extends { readonly groupId: number }>(
  config: { readonly communities: readonly Community[] },
  groupId: number,
): Community | undefined => config.communities.find((community) => community.groupId === groupId);
