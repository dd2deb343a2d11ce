/**
 * The citizens whose data `citizen:erase` deleted in a community lately, as the router asks about them: VK
 * still sends changes of their old messages (an edit, a deletion, an operator's reply), which find no message
 * and are dropped rather than waited on as dead letters, or taken for new words; and a message they wrote
 * before it may still come late (a dead letter replayed), and is dropped rather than routed; and what they wrote
 * before it that another citizen passes on is stored redacted. Kept for
 * ERASED_CITIZEN_DAYS after the erasure, under a digest of the community and the citizen's id, never the id.
 */
export interface ErasedCitizens {
  /** Notes that the citizen's data in the community was erased at `at`; a later erasure moves it on. */
  mark(groupId: number, userId: number, at: Date): Promise<void>;
  /**
   * When the citizen's data in the community was last erased, if within ERASED_CITIZEN_DAYS of now. Undefined
   * at once, without the digest, when no citizen of the community was erased then, or, given `writtenAt` (what
   * is asked about was written then), none after it: the erasures of a community are few, the lates many.
   */
  erasedAt(groupId: number, userId: number, writtenAt?: string): Promise<string | undefined>;
  /**
   * Those of `userIds` whose data in the community was erased within ERASED_CITIZEN_DAYS of now, as erasedAt
   * tells of each: the community's latest erasure read once for them all, and a digest each only if it has one.
   * More than MAX_PEOPLE_LOOKED_UP while it has one: all of them, unread, since looking each up takes too long.
   */
  erasedAmong(groupId: number, userIds: readonly number[]): Promise<number[]>;
}
