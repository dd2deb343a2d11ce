import { describe, expect, it } from 'vitest';
import {
  handlingFor,
  handlingOf,
  limitHint,
  tokenErrorHint,
  undeliverableReason,
} from '../../../lambdas/domain/vk-api/errors.js';

/** VK's codes and descriptions: https://dev.vk.com/ru/reference/errors, VKCOM/vk-api-schema errors.json. */
describe('what the responder does about a VK error', () => {
  it.each([
    [19, 'Content blocked', 'change it'],
    [203, 'Access to group denied', 'denies the community access'],
    [925, 'You are not admin of this chat', 'not an admin of this chat'],
    [940, 'Too many posts in messages', 'remove some'],
    [943, 'Cannot use this intent', "community's messages"],
    [944, 'Limits overflow for this intent', "community's messages"],
    [962, "You can't access donut chat without subscription", 'VK Donut'],
  ])('records %i (%s) as undeliverable at once, saying what it means', (code, vkMessage, hint) => {
    expect(handlingFor(code, 'community')).toBe('undeliverable');
    expect(undeliverableReason(code, vkMessage)).toContain(hint);
  });

  it('records 913 (too many forwarded messages) as a call VK never accepts, not as VK being busy', () => {
    expect(handlingOf(913)).toBe('fatal');
  });

  it.each([18, 203])("holds %i on a user token as the admin's account, not the place", (code) => {
    expect(handlingFor(code, 'user')).toBe('token');
    expect(tokenErrorHint(code)).toContain("another admin's token");
  });

  it.each([
    [2, 'application the token was issued by is disabled'],
    [23, 'disabled this method'],
    [24, 'confirm'],
    [25, 'confirm'],
    [37, 'issue the token from another admin'],
    [3610, 'issue the token from another admin'],
    [1117, '`offline`'],
    [3609, '`offline`'],
  ])('holds %i for a person to act on the token, and tells them what to do', (code, action) => {
    expect(handlingFor(code, 'community')).toBe('token');
    expect(handlingFor(code, 'user')).toBe('token');
    expect(tokenErrorHint(code)).toContain(action);
  });

  it.each([9, 29])('gives %i, a limit of VK’s, back to be tried later, never at once', (code) => {
    expect(handlingFor(code, 'community')).toBe('limit');
    expect(handlingFor(code, 'user')).toBe('limit');
    expect(limitHint(code)).toMatch(/^VK limits how many/);
  });

  it('tries too many calls a second (6) again like a busy VK: the limiter keeps to the rate', () => {
    expect(handlingOf(6)).toBe('retry');
    expect(limitHint(6)).toBeUndefined();
  });

  it('tries again, like a busy VK, only what it does not know', () => {
    expect(handlingOf(4242)).toBe('retry');
  });
});
