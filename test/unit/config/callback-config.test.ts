import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCallbackConfig } from '../../../lambdas/domain/config/callback-config.js';
import { ConfigError, parseAppConfig } from '../../../lambdas/domain/config/schema.js';

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, spoiled on purpose.
type Json = any;
const local = (): Json => JSON.parse(readFileSync('config/local.json', 'utf8'));
const twoCommunities = (): Json =>
  JSON.parse(readFileSync('test/fixtures/config/two-communities.json', 'utf8'));

/** The error message of a parse, or '' when it passes. */
const messageOf = (parse: () => unknown) => {
  try {
    parse();
    return '';
  } catch (caught) {
    expect(caught).toBeInstanceOf(ConfigError);
    return (caught as Error).message;
  }
};

/** Problems in the parts ingest reads, each in a configuration that is otherwise whole. */
const spoils: [string, (config: Json) => void][] = [
  [
    'a group id written as text',
    (c) => {
      c.communities[0].groupId = '123';
    },
  ],
  [
    'a fractional group id',
    (c) => {
      c.communities[0].groupId = -1.5;
    },
  ],
  [
    'a group id of zero',
    (c) => {
      c.communities[0].groupId = 0;
    },
  ],
  [
    'a group id beyond the safe integers',
    (c) => {
      c.communities[0].groupId = 2 ** 53;
    },
  ],
  [
    'a negative group id beyond them',
    (c) => {
      c.communities[0].groupId = -(2 ** 53);
    },
  ],
  [
    'no group id',
    (c) => {
      delete c.communities[0].groupId;
    },
  ],
  [
    'a null group id',
    (c) => {
      c.communities[0].groupId = null;
    },
  ],
  [
    'a secret written in',
    (c) => {
      c.communities[0].callbackSecret = 'plain-secret';
    },
  ],
  [
    'a secret value beside no reference',
    (c) => {
      c.communities[0].callbackSecret = { value: 'x' };
    },
  ],
  [
    'two keys beside the reference',
    (c) => {
      c.communities[0].confirmationCode = { parameter: '/a', value: 'x', b: 1 };
    },
  ],
  [
    'a reference that is no SSM name',
    (c) => {
      c.communities[0].callbackSecret = { parameter: 'abc' };
    },
  ],
  [
    'a reference that is a number',
    (c) => {
      c.communities[0].confirmationCode = { parameter: 5 };
    },
  ],
  [
    'a reference that is a list',
    (c) => {
      c.communities[0].confirmationCode = [];
    },
  ],
  [
    'a previous secret written in',
    (c) => {
      c.communities[1].previousCallbackSecret = 'plain-secret';
    },
  ],
  [
    'a null previous secret',
    (c) => {
      c.communities[0].previousCallbackSecret = null;
    },
  ],
  [
    'a previous secret whose reference is no SSM name',
    (c) => {
      c.communities[1].previousCallbackSecret = { parameter: 'previous' };
    },
  ],
  [
    'no confirmation code',
    (c) => {
      delete c.communities[0].confirmationCode;
    },
  ],
  [
    'no communities',
    (c) => {
      c.communities = [];
    },
  ],
  [
    'communities that are not a list',
    (c) => {
      c.communities = {};
    },
  ],
  [
    'a community that is null',
    (c) => {
      c.communities[0] = null;
    },
  ],
  [
    'two problems in two communities',
    (c) => {
      c.communities[0].groupId = 0;
      c.communities[1].callbackSecret = { parameter: 'x' };
    },
  ],
  [
    "a community that names another's callback secret and confirmation code",
    (c) => {
      c.communities[1].callbackSecret = { ...c.communities[0].callbackSecret };
      c.communities[1].confirmationCode = { ...c.communities[0].confirmationCode };
    },
  ],
  [
    'a previous callback secret that is the current one',
    (c) => {
      c.communities[1].previousCallbackSecret = { ...c.communities[1].callbackSecret };
    },
  ],
  [
    'two communities with one group id',
    (c) => {
      c.communities[1].groupId = c.communities[0].groupId;
    },
  ],
];

describe('parseCallbackConfig (ingest reads its part of the configuration)', () => {
  it('reads the communities of a whole configuration as parseAppConfig does', () => {
    expect(twoCommunities().communities[1].previousCallbackSecret).toBeDefined();
    for (const config of [local(), twoCommunities()]) {
      const whole = parseAppConfig(config, 'x.json');
      expect(parseCallbackConfig(config, 'x.json').communities).toEqual(
        whole.communities.map(({ groupId, callbackSecret, previousCallbackSecret, confirmationCode }) => ({
          groupId,
          callbackSecret,
          ...(previousCallbackSecret && { previousCallbackSecret }),
          confirmationCode,
        })),
      );
    }
  });

  it.each(spoils)('names %s with the same path and message as parseAppConfig', (_case, spoil) => {
    const config = twoCommunities();
    spoil(config);
    const message = messageOf(() => parseCallbackConfig(config, 'x.json'));
    expect(message).toMatch(/^Invalid configuration in x\.json:\n {2}- communities/);
    expect(message).toBe(messageOf(() => parseAppConfig(config, 'x.json')));
  });

  it('names a whole document that is not an object, and a file that is no configuration at all', () => {
    expect(messageOf(() => parseCallbackConfig([], 'x.json'))).toBe(
      messageOf(() => parseAppConfig([], 'x.json')),
    );
    expect(messageOf(() => parseCallbackConfig({}, 'x.json'))).toMatch(
      /communities: Invalid input: expected array, received undefined/,
    );
  });

  it('leaves the parts ingest does not read to the other checks', () => {
    const config = local();
    config.communities[0].calendar.timeZone = 'Mars/Olympus';
    config.routing[1].department = 'nowhere';
    expect(parseCallbackConfig(config, 'x.json').communities).toHaveLength(1);
    expect(messageOf(() => parseAppConfig(config, 'x.json'))).toMatch(/Mars/);
  });
});
