import * as crypto from 'node:crypto';

/** One-shot hashing (Node 20.12 and later) skips a Hash object per call; older releases build one. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;
const digest = oneShot
  ? (value: string) => oneShot('sha256', value, 'buffer')
  : (value: string) => crypto.createHash('sha256').update(value, 'utf8').digest();

/**
 * Our secrets' digests, by value: a community's secret changes rarely, so its digest is made once, not on
 * every request. Bounded, so that rotations over a long-lived container cannot grow it without end.
 */
const expectedDigests = new Map<string, Buffer>();
const EXPECTED_DIGESTS_KEPT = 64;

function expectedDigestOf(expected: string): Buffer {
  let known = expectedDigests.get(expected);
  if (!known) {
    if (expectedDigests.size >= EXPECTED_DIGESTS_KEPT) expectedDigests.clear();
    known = digest(expected);
    expectedDigests.set(expected, known);
  }
  return known;
}

/**
 * Compares the secret VK sent with ours in constant time. Hashing first gives equal-length inputs, so not
 * even the secret's length leaks through timing; the received secret is hashed on every request.
 */
export function secretsMatch(received: string, expected: string): boolean {
  return crypto.timingSafeEqual(digest(received), expectedDigestOf(expected));
}
