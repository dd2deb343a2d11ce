import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares the secret VK sent with ours in constant time. Hashing first gives equal-length inputs, so not
 * even the secret's length leaks through timing.
 */
export function secretsMatch(received: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}
