import { expect, it } from 'vitest';
import { communityOf } from '../../../lambdas/domain/config/community-of.js';

const config = {
  communities: [
    { groupId: 1234, name: 'Район' },
    { groupId: 123456789, name: 'Город' },
  ],
};

it("finds a group's community in the configuration, and none for a group not configured (or no longer)", () => {
  expect(communityOf(config, 123456789)).toBe(config.communities[1]);
  expect(communityOf(config, 1234)?.name).toBe('Район');
  expect(communityOf(config, -1234)).toBeUndefined();
  expect(communityOf({ communities: [] }, 1234)).toBeUndefined();
});
