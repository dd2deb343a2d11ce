import { scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ERASED_CITIZEN_DAYS, MAX_PEOPLE_LOOKED_UP } from '../domain/inquiry/erased-citizen.js';
import type { Clock, ErasedCitizens } from '../domain/ports.js';

const derive = promisify(scrypt) as (
  password: string,
  salt: string,
  length: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;

/**
 * scrypt's cost: 16 MiB and some 40 ms a digest on one core. The router takes one only for a change whose
 * message it does not hold, for a citizen's message that comes late (router/erased-author.ts), and for each other citizen whose words
 * of minutes ago or more a message passes on (router/erased-quotes.ts) or whom it mentions, while the community
 * had an erasure in the marks' days (application/erased-mentions.ts), as the operator API does for each person
 * an operator's words mention (operator-api/operator-words.ts); whoever reads the table and would find out whom a mark names must take one for
 * every VK id there is (about a billion), each community anew: hundreds of CPU-days, for a mark kept 14.
 * https://nodejs.org/api/crypto.html#cryptoscryptpassword-salt-keylen-options-callback
 */
const COST = { N: 2 ** 14, r: 8, p: 1 };

/**
 * A digest of the citizen's id, salted by the community: the same for the same two, and not the id. A keyed
 * hash would need a key the router and ops share and the table's readers lack; a slow one does without.
 */
async function digestOf(groupId: number, userId: number): Promise<string> {
  const digest = await derive(
    String(userId),
    `vk-inquiries erased citizen of community ${groupId}`,
    32,
    COST,
  );
  return digest.toString('base64url');
}

/** The `entity` of a citizen's mark, and of a community's latest erasure (erasure-marks.ts copies both). */
export const ERASED_CITIZEN = 'erased_citizen';
export const COMMUNITY_ERASURES = 'community_erasures';

const keyOf = (groupId: number, digest: string) => ({ pk: `ERASED#${groupId}#${digest}`, sk: 'ERASED' });

/**
 * The community's latest erasure, whoever's: no id, no digest. Read first, it spares the digest of every late
 * message of a community where no one was erased lately, or no one since the message was written: a backlog
 * drained after an outage is thousands of late messages, each otherwise some 40 ms of a core.
 */
const communityKeyOf = (groupId: number) => ({ pk: `ERASURES#${groupId}`, sk: 'ERASURES' });

/**
 * One item per erased citizen and community in the inquiry table, holding when they were last erased and
 * DynamoDB's TTL attribute, `expiresAt`. TTL deletes an item some time after it expires, and the local
 * dynalite never does: a mark is read as gone once its time is past, whatever the table still holds.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 */
export class DynamoErasedCitizens implements ErasedCitizens {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async mark(groupId: number, userId: number, at: Date): Promise<void> {
    // The community's first, so that a citizen's mark is never read while the community's says none.
    await this.moveOn(communityKeyOf(groupId), COMMUNITY_ERASURES, at);
    await this.moveOn(keyOf(groupId, await digestOf(groupId, userId)), ERASED_CITIZEN, at);
  }

  /** Sets the item's erasure to `at`, kept ERASED_CITIZEN_DAYS: run again, it moves on, never back. */
  private async moveOn(key: { pk: string; sk: string }, entity: string, at: Date): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            entity,
            erasedAt: at.toISOString(),
            expiresAt: Math.floor(at.getTime() / 1000) + ERASED_CITIZEN_DAYS * 86_400,
          },
          // Never back: a run with a clock behind the last one's leaves the later erasure.
          ConditionExpression: 'attribute_not_exists(pk) OR erasedAt <= :erasedAt',
          ExpressionAttributeValues: { ':erasedAt': at.toISOString() },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async erasedAt(groupId: number, userId: number, writtenAt?: string): Promise<string | undefined> {
    const latest = await this.liveErasure(communityKeyOf(groupId));
    if (latest === undefined) return undefined;
    if (writtenAt !== undefined && Date.parse(writtenAt) > Date.parse(latest)) return undefined;
    return this.liveErasure(keyOf(groupId, await digestOf(groupId, userId)));
  }

  async erasedAmong(groupId: number, userIds: readonly number[]): Promise<number[]> {
    if (userIds.length === 0 || (await this.liveErasure(communityKeyOf(groupId))) === undefined) return [];
    // Too many to digest one by one in the function's time: each mention is taken as an erased citizen's.
    if (userIds.length > MAX_PEOPLE_LOOKED_UP) return [...userIds];
    const erased = await Promise.all(
      userIds.map(async (userId) =>
        (await this.liveErasure(keyOf(groupId, await digestOf(groupId, userId)))) ? userId : undefined,
      ),
    );
    return erased.filter((userId) => userId !== undefined);
  }

  /** The erasure an item holds, unless its time is past (TTL deletes late; dynalite never). */
  private async liveErasure(key: { pk: string; sk: string }): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ConsistentRead: true,
      }),
    );
    if (!Item || Number(Item.expiresAt) * 1000 <= this.clock.now().getTime()) return undefined;
    return String(Item.erasedAt);
  }
}
