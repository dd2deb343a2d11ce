import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { caseCounterKey, caseCounterPk } from './inquiry-keys.js';
import { type Pending, SameTurnBatch } from './same-turn-batch.js';

/** A case number asked of a community's counter for a year; `sequence` once drawn. */
interface CaseDraw {
  groupId: number;
  year: number;
  sequence?: number;
}

/** The communities' case counters, one item per community and year, drawn from side by side. */
export class CaseSequences {
  private readonly caseDraws = new SameTurnBatch<CaseDraw>((draws) => this.drawCaseSequences(draws));

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * ADD on a counter item, which DynamoDB applies atomically, so concurrent routers never get the same number;
   * the first ADD creates the item from 0. It is not idempotent: the caller stores the number on its inquiry,
   * and a retry reuses the stored one. The draws made side by side in one turn (the records of a batch) for
   * the same community and year share one ADD of their count, and each gets its own number of the range it
   * returns, in the order they asked: no number is drawn that no caller asked for, so the sequence has no
   * more gaps than one ADD per inquiry would leave.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters
   */
  async nextCaseSequence(groupId: number, year: number): Promise<number> {
    const draw: CaseDraw = { groupId, year };
    await this.caseDraws.add(draw);
    return draw.sequence as number;
  }

  /** One ADD per counter for the draws of a turn; every draw of a counter whose call failed rejects. */
  private async drawCaseSequences(draws: Pending<CaseDraw>[]): Promise<void> {
    const byCounter = new Map<string, Pending<CaseDraw>[]>();
    for (const draw of draws) {
      const counter = caseCounterPk(draw.value.groupId, draw.value.year);
      byCounter.set(counter, [...(byCounter.get(counter) ?? []), draw]);
    }
    await Promise.all(
      [...byCounter.values()].map(async (sharing) => {
        const { groupId, year } = (sharing[0] as Pending<CaseDraw>).value;
        try {
          const last = await this.addToCaseCounter(groupId, year, sharing.length);
          sharing.forEach((draw, index) => {
            draw.value.sequence = last - sharing.length + 1 + index;
            draw.resolve();
          });
        } catch (error) {
          for (const draw of sharing) draw.reject(error);
        }
      }),
    );
  }

  /** Adds `count` to the counter and returns its new value: the last of the `count` numbers drawn. */
  private async addToCaseCounter(groupId: number, year: number, count: number): Promise<number> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: caseCounterKey(groupId, year),
        UpdateExpression: 'SET entity = :entity ADD #last :count',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: { ':entity': 'case_counter', ':count': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = result.Attributes?.last;
    if (typeof last !== 'number')
      throw new Error(`case counter of ${groupId} for ${year} returned no number`);
    return last;
  }
}
