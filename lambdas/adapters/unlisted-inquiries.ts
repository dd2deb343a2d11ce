import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { scanConsistently, type TableReading } from './dynamo-parallel-scan.js';
import { fromInquiryItems, type MalformedInquiryItem } from './inquiry-items.js';

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
   * Read in `segments` parts side by side (scanConsistently): each page's inquiries go to `onPage` as the table
   * is read; `pageSize` caps the items a request reads (default: what fits in its 1 MB). An item that does not
   * read as an inquiry (inquiry-items.ts) is told to `malformed` and left out of its page.
   */
  async scan(
    options: TableReading & {
      onPage: (inquiries: Inquiry[]) => Promise<void>;
      malformed: (found: MalformedInquiryItem) => void;
    },
  ): Promise<void> {
    await scanConsistently(
      this.client,
      {
        TableName: this.tableName,
        FilterExpression: '#entity = :inquiry AND attribute_not_exists(#department)',
        ExpressionAttributeNames: { '#entity': 'entity', '#department': 'department' },
        ExpressionAttributeValues: { ':inquiry': 'inquiry' },
      },
      options,
      // Checked, each alone: one malformed item must not stop the whole Scan.
      (items) => options.onPage(fromInquiryItems(items, options.malformed)),
    );
  }
}
