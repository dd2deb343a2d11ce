import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/**
 * A Scan of the whole table in `segments` parts side by side (a parallel scan), each its own sequence of
 * requests: a request reads at most 1 MB, so one after the other a large table takes hours.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan
 * Each page's items go to `onPage` before its part reads on, so no more than a page a part is held at once;
 * `onRead` is told the items read so far (all parts) after each request. A part that failed stops the others
 * at their next request, and the scan fails as a whole.
 */
export async function scanInParallel(
  client: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'Segment' | 'TotalSegments' | 'ExclusiveStartKey'>,
  options: {
    segments: number;
    onPage: (items: Item[]) => Promise<void> | void;
    onRead?: ((scanned: number) => void) | undefined;
  },
): Promise<void> {
  let scanned = 0;
  let failed = false;
  const scanSegment = async (segment: number) => {
    let startKey: Item | undefined;
    do {
      if (failed) return;
      const page = await client.send(
        new ScanCommand({
          ...input,
          Segment: segment,
          TotalSegments: options.segments,
          ExclusiveStartKey: startKey,
        }),
      );
      scanned += page.ScannedCount ?? 0;
      options.onRead?.(scanned);
      await options.onPage(page.Items ?? []);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  await Promise.all(
    Array.from({ length: options.segments }, (_, segment) =>
      scanSegment(segment).catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
}

/**
 * How a command reads the whole table: in `segments` parts side by side (1 by default), at most `pageSize`
 * items a request (default: what fits in its 1 MB), `onRead` told the items read so far.
 */
export interface TableReading {
  segments?: number;
  pageSize?: number;
  onRead?: (scanned: number) => void;
}

/**
 * A consistent Scan of the whole table (scanInParallel), as the ops commands read it: a second run right after
 * the first sees the first's changes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
 */
export function scanConsistently(
  client: DynamoDBDocumentClient,
  input: Omit<
    ScanCommandInput,
    'Segment' | 'TotalSegments' | 'ExclusiveStartKey' | 'ConsistentRead' | 'Limit'
  >,
  reading: TableReading,
  onPage: (items: Item[]) => Promise<void> | void,
): Promise<void> {
  return scanInParallel(
    client,
    { ...input, ConsistentRead: true, ...(reading.pageSize !== undefined && { Limit: reading.pageSize }) },
    { segments: reading.segments ?? 1, onRead: reading.onRead, onPage },
  );
}
