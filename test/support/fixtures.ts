import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** VK payloads recorded from public sources: ../shared/fixtures/vk beside the project. */
export const FIXTURES_DIR = join(import.meta.dirname, '../../../shared/fixtures/vk');

export const DEMO_GROUP_ID = 123456789;
export const DEMO_SECRET = 'demo-secret-change-me';
export const DEMO_CONFIRMATION = 'a1b2c3d4';

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8')) as Record<string, unknown>;
}

export const fixtureNames = () => readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.json'));

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
