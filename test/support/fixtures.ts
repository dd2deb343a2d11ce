import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** VK payloads recorded from public sources: ../shared/fixtures/vk beside the project. */
const FIXTURES_DIR = join(import.meta.dirname, '../../../shared/fixtures/vk');

export const DEMO_GROUP_ID = 123456789;
export const DEMO_SECRET = 'demo-secret-change-me';
export const DEMO_CONFIRMATION = 'a1b2c3d4';

/**
 * The tests' own configuration: the demo community and a second one (group 1234, the group most recorded
 * fixtures come from), each with its secret, confirmation code, time zone and token references.
 */
export const TEST_CONFIG_FILE = 'test/fixtures/config/two-communities.json';
export const TEST_SECRETS_FILE = 'test/fixtures/config/two-communities.secrets.json';
export const DISTRICT_GROUP_ID = 1234;
export const DISTRICT_SECRET = 'district-secret';
export const DISTRICT_CONFIRMATION = '5e6f7a8b';

const SECRETS_BY_GROUP: Record<number, string> = {
  [DEMO_GROUP_ID]: DEMO_SECRET,
  [DISTRICT_GROUP_ID]: DISTRICT_SECRET,
};

/** A recorded payload; one of them was saved with a byte order mark, which is not part of the JSON. */
export function fixture(name: string): Record<string, unknown> {
  const text = readFileSync(join(FIXTURES_DIR, name), 'utf8').replace(/^\uFEFF/, '');
  return JSON.parse(text) as Record<string, unknown>;
}

const fixtureNames = () => readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.json'));

/** Every recorded payload, the vknet/ ones included, by path under FIXTURES_DIR. */
export const allFixtureNames = () => [
  ...fixtureNames(),
  ...readdirSync(join(FIXTURES_DIR, 'vknet'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => `vknet/${name}`),
];

/** A fixture as VK's Callback API would POST it to the demo community: with secret, event_id and v. */
export function callbackBody(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...fixture(name),
    group_id: DEMO_GROUP_ID,
    secret: DEMO_SECRET,
    event_id: `evt-${name}`,
    v: '5.199',
    ...overrides,
  };
}

/**
 * A fixture as VK would POST it to the community it was recorded for (the demo community when the test
 * configuration has no such group), keeping its own ids, so that owner ids and `-group_id` agree.
 */
export function recordedCallbackBody(name: string, overrides: Record<string, unknown> = {}) {
  const recorded = fixture(name);
  const groupId = Number(recorded.group_id);
  const secret = SECRETS_BY_GROUP[groupId];
  return {
    ...recorded,
    ...(secret === undefined && { group_id: DEMO_GROUP_ID }),
    secret: secret ?? DEMO_SECRET,
    event_id: `evt-${name}`,
    v: '5.199',
    ...overrides,
  };
}

/**
 * A citizen's direct message to the demo community as ingest queues it for the classifier: the recorded
 * `message_new`, its message changed by `message` (its text, its author…).
 */
export function receivedMessageNew(
  eventKey: string,
  message: Record<string, unknown>,
): {
  eventKey: string;
  groupId: number;
  type: 'message_new';
  receivedAt: string;
  event: Record<string, unknown>;
} {
  const recorded = fixture('03_message_new__vknet.json') as { object: { message: Record<string, unknown> } };
  return {
    eventKey,
    groupId: DEMO_GROUP_ID,
    type: 'message_new',
    receivedAt: '2026-03-02T06:00:00.000Z',
    event: {
      type: 'message_new',
      group_id: DEMO_GROUP_ID,
      object: { message: { ...recorded.object.message, ...message } },
    },
  };
}
