import { describe, expect, it } from 'vitest';
import { otherStagesParameters } from '../../../lambdas/domain/config/stage-parameters.js';

const community = (groupId: number, prefix: string, user?: string) => ({
  groupId,
  callbackSecret: { parameter: `${prefix}/communities/${groupId}/callback-secret` },
  previousCallbackSecret: { parameter: `${prefix}/communities/${groupId}/previous-callback-secret` },
  confirmationCode: { parameter: `${prefix}/communities/${groupId}/confirmation-code` },
  tokens: {
    community: { parameter: `${prefix}/communities/${groupId}/community-token` },
    ...(user && { user: { parameter: user } }),
  },
});

describe("a configuration's parameters of another stage", () => {
  it('are named, each with its community and field, when under another /vk-inquiries/<stage>/', () => {
    const warnings = otherStagesParameters(
      [
        community(1, '/vk-inquiries/prod2'),
        community(2, '/vk-inquiries/prod', '/vk-inquiries/prod2/admin-token'),
      ],
      'prod2',
    );
    expect(warnings.map((warning) => warning.split(' is ')[0])).toEqual([
      'communities[1].callbackSecret (community 2)',
      'communities[1].previousCallbackSecret (community 2)',
      'communities[1].confirmationCode (community 2)',
      'communities[1].tokens.community (community 2)',
    ]);
    expect(warnings[0]).toContain('a parameter of stage prod, not of prod2');
  });

  it("are none for the stage's own, nor for parameters named otherwise", () => {
    expect(otherStagesParameters([community(1, '/vk-inquiries/dev')], 'dev')).toEqual([]);
    expect(otherStagesParameters([community(1, '/vk/ekb')], 'prod')).toEqual([]);
    expect(otherStagesParameters([community(1, '/vk-inquiries-prod')], 'ekb')).toEqual([]);
  });
});
