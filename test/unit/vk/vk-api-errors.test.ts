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

  it.each([
    [5, 'User authorization failed'],
    [7, 'Permission to perform this action is denied'],
    [14, 'Captcha needed'],
    [15, 'Access denied'],
    [17, 'Validation required'],
    [27, 'Group authorization failed'],
    [28, 'Application authorization failed'],
  ])('holds %i (%s) for a person to act on the token, on either token', (code) => {
    expect(handlingFor(code, 'community')).toBe('token');
    expect(handlingFor(code, 'user')).toBe('token');
  });

  it.each([
    [18, 'User was deleted or banned', 'deleted or banned'],
    [900, "Can't send messages for users from blacklist", 'blacklist'],
    [901, "Can't send messages for users without permission", 'do not allow messages'],
    [902, "Can't send messages to this user due to their privacy settings", 'do not allow messages'],
    [914, 'Message is too long', 'shorten it'],
    [212, 'Access to post comments denied', 'comments are closed'],
    [213, 'Access to status replies denied', 'comments are closed'],
    [222, 'Hyperlinks are forbidden', 'remove them'],
    [223, 'Too many replies', 'limits the replies'],
  ])(
    'records %i (%s) on the community token as undeliverable, never tried again, saying what it means',
    (code, vkMessage, hint) => {
      expect(handlingFor(code, 'community')).toBe('undeliverable');
      expect(undeliverableReason(code, vkMessage)).toMatch(
        new RegExp(`^VK error ${code}: .+ \\(.*${hint}.*\\)$`),
      );
    },
  );

  it.each([
    [3, 'Unknown method passed'],
    [100, 'One of the parameters specified was missing or invalid'],
  ])('records %i (%s), a call VK never accepts, as never to be tried again', (code) => {
    expect(handlingFor(code, 'community')).toBe('fatal');
  });

  it.each([
    [1, 'Unknown error occurred'],
    [10, 'Internal server error'],
    [36, 'Method execution was interrupted due to timeout'],
    [43, 'This section is temporarily unavailable'],
  ])('tries %i (%s) again, like a busy VK: the same random_id or guid keeps it from going twice', (code) => {
    expect(handlingFor(code, 'community')).toBe('retry');
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
