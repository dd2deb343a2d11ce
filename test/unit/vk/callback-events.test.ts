import { describe, expect, it } from 'vitest';
import { MESSAGE_CHANGE_EVENT_TYPES } from '../../../lambdas/domain/vk/changes.js';
import { DIALOGUE_EVENT_TYPES } from '../../../lambdas/domain/vk/interpret.js';
import { NEW_WORDS_EVENT_TYPES } from '../../../lambdas/domain/vk/normalise.js';
import { isKnownEventType } from '../../../lambdas/domain/vk/objects.js';
import {
  COUNTED_SERVICE_EVENTS,
  callbackSettingsChanges,
  HANDLED_CALLBACK_EVENTS,
} from '../../../lambdas/domain/vk-api/callback-events.js';

const subscribed = new Set<string>(HANDLED_CALLBACK_EVENTS);

/**
 * What vk:connect asks VK to send, held to what the code reads: the lists are written out in
 * callback-events.ts for ops to read, and these checks keep them from drifting apart.
 */
describe('the events vk:connect subscribes to', () => {
  it('include every event that may bring a citizen new words', () => {
    expect(NEW_WORDS_EVENT_TYPES.length).toBeGreaterThan(0);
    expect(NEW_WORDS_EVENT_TYPES.filter((type) => !subscribed.has(type))).toEqual([]);
  });

  it('include every edit, delete and restore of a citizen message', () => {
    expect(MESSAGE_CHANGE_EVENT_TYPES.length).toBeGreaterThan(0);
    expect(MESSAGE_CHANGE_EVENT_TYPES.filter((type) => !subscribed.has(type))).toEqual([]);
  });

  it("include the direct-message events the interpreter reads, message_edit among them (a citizen's edit)", () => {
    expect(DIALOGUE_EVENT_TYPES.filter((type) => !subscribed.has(type))).toEqual([]);
  });

  it('hold nothing the code does not handle: every other one is a service event counted on purpose', () => {
    const handled = new Set([
      ...NEW_WORDS_EVENT_TYPES,
      ...MESSAGE_CHANGE_EVENT_TYPES,
      ...DIALOGUE_EVENT_TYPES,
      ...COUNTED_SERVICE_EVENTS,
    ]);
    expect(HANDLED_CALLBACK_EVENTS.filter((type) => !handled.has(type))).toEqual([]);
    expect(HANDLED_CALLBACK_EVENTS.filter((type) => !isKnownEventType(type))).toEqual([]);
    expect(COUNTED_SERVICE_EVENTS.filter((type) => !subscribed.has(type))).toEqual([]);
    expect(subscribed.size).toBe(HANDLED_CALLBACK_EVENTS.length);
  });
});

describe('callbackSettingsChanges', () => {
  it('switches on a citizen wall post (open wall, suggested post), and keeps it on', () => {
    expect(callbackSettingsChanges({ wall_post_new: 0 })).toMatchObject({ wall_post_new: 1 });
    const allOn = Object.fromEntries(HANDLED_CALLBACK_EVENTS.map((type) => [type, 1]));
    expect(callbackSettingsChanges(allOn)).toEqual({});
  });

  it('switches off what the code does not handle, and only that', () => {
    const allOn = Object.fromEntries(HANDLED_CALLBACK_EVENTS.map((type) => [type, 1]));
    expect(callbackSettingsChanges({ ...allOn, audio_new: 1, wall_repost: 1, photo_new: 0 })).toEqual({
      audio_new: 0,
      wall_repost: 0,
    });
  });
});
