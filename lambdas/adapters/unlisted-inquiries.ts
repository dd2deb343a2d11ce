import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { fromInquiryItem } from './inquiry-table.js';

/** Inquiry items with no department, which no index holds, for `npm run rejected:to-triage`. */
export class DynamoUnlistedInquiries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A Scan of the whole table, filtered to the inquiries with no department: nothing else finds them. It
   * reads every item once, consistently (a second run right after the first sees its changes).
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
   *
   * A Scan request reads at most 1 MB, so one after the other a large table takes hours; the table is read in
   * `segments` parts side by side (a parallel scan), each its own sequence of requests.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan
   * Each page's inquiries go to `onPage` before its part reads on, so that what is done with them is done as
   * the table is read, and no more than a page a part is held at once; `pageSize` caps the items a request
   * reads (default: what fits in its 1 MB). `onRead` is told the items read so far (all parts) after each
   * request. A part that failed stops the others at their next request, and the scan fails as a whole.
   */
  async scan(options: {
    onPage: (inquiries: Inquiry[]) => Promise<void>;
    segments?: number;
    pageSize?: number;
    onRead?: (scanned: number) => void;
  }): Promise<void> {
    const segments = options.segments ?? 1;
    let scanned = 0;
    let failed = false;
    const scanSegment = async (segment: number) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        if (failed) return;
        const page = await this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            Segment: segment,
            TotalSegments: segments,
            FilterExpression: '#entity = :inquiry AND attribute_not_exists(#department)',
            ExpressionAttributeNames: { '#entity': 'entity', '#department': 'department' },
            ExpressionAttributeValues: { ':inquiry': 'inquiry' },
            ExclusiveStartKey: startKey,
            ...(options.pageSize !== undefined && { Limit: options.pageSize }),
          }),
        );
        scanned += page.ScannedCount ?? 0;
        options.onRead?.(scanned);
        await options.onPage((page.Items ?? []).map(fromInquiryItem));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    };
    await Promise.all(
      Array.from({ length: segments }, (_, segment) =>
        scanSegment(segment).catch((error: unknown) => {
          failed = true;
          throw error;
        }),
      ),
    );
  }
}
