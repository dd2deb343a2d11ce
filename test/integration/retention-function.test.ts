import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { createRetentionHandler } from '../../lambdas/retention/handler.js';
import { answeredWasteReport } from '../support/answered-report.js';
import { startTestAws, type TestAws } from '../support/aws.js';

/** What the retention function tells ops of a night's run: its log, its failure. */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
});
afterAll(() => aws?.stop());

/** A citizen's message routed at `at` and answered two hours later; resolves the inquiry's id. */
const answered = async (peerId: number, eventKey: string, at: string): Promise<string> =>
  (
    await answeredWasteReport({
      config,
      repository,
      idPrefix: 'fn',
      peerId,
      eventKey,
      at,
      answeredAt: new Date(Date.parse(at) + 2 * 3_600_000).toISOString(),
    })
  ).id;

/** The invocation's outcome, and the lines it logged. */
async function invoke(at: string, remainingMs: () => number) {
  const lines: Record<string, unknown>[] = [];
  // Warnings and errors go to stderr, the rest to stdout.
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n'))
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  };
  const writes = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  const context = {
    functionName: 'retention',
    awsRequestId: 'r',
    getRemainingTimeInMillis: remainingMs,
  } as unknown as Context;
  try {
    const handler = createRetentionHandler({ clock: { now: () => new Date(at) } });
    const outcome = await handler({}, context).then(
      (run) => ({ run }),
      (error: Error) => ({ error }),
    );
    return { ...outcome, lines };
  } finally {
    for (const write of writes) write.mockRestore();
  }
}

const summaryOf = (lines: Record<string, unknown>[]) =>
  lines.find((line) => line.message === 'retention sweep');

describe('the retention function, against dynalite', () => {
  it('logs a run that ran out of time as a warning, and one that finished as information', async () => {
    const id = await answered(9_700_001, 'w1', '2026-08-03T04:00:00.000Z');
    let left = 31_000;
    const short = await invoke('2031-08-05T06:00:00.000Z', () => (left -= 500));
    expect(short).toMatchObject({ run: { deleted: 0, complete: false } });
    expect(summaryOf(short.lines)).toMatchObject({ level: 'WARN', complete: false });
    const whole = await invoke('2031-08-05T06:00:00.000Z', () => 300_000);
    expect(whole).toMatchObject({ run: { deleted: 1, failed: 0, complete: true } });
    expect(summaryOf(whole.lines)).toMatchObject({ level: 'INFO', deleted: 1, complete: true });
    expect(await repository.getInquiry(id)).toBeUndefined();
  });

  it('fails the invocation for a single inquiry it could not delete, logged by its id, and deletes the rest', async () => {
    const broken = await answered(9_700_002, 'f1', '2026-09-07T04:00:00.000Z');
    const other = await answered(9_700_003, 'f2', '2026-09-07T04:00:00.000Z');
    // An item with no version to hold the deletion's condition to: malformed, it is not read, nor deleted.
    await documents.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: { pk: `INQ#${broken}`, sk: 'INQUIRY' },
        UpdateExpression: 'REMOVE version',
      }),
    );
    const night = await invoke('2031-09-09T06:00:00.000Z', () => 300_000);
    expect(night).toMatchObject({ error: { message: 'the retention sweep could not delete 1 inquiries' } });
    expect(summaryOf(night.lines)).toMatchObject({ deleted: 1, failed: 1 });
    expect(night.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'retention: an inquiry could not be read',
        inquiryId: broken,
        error: {
          name: 'MalformedInquiryItem',
          message: `the stored inquiry ${broken} is malformed: version`,
        },
      }),
    );
    expect(await repository.getInquiry(other)).toBeUndefined();
    // Its words are not in the log.
    expect(JSON.stringify(night.lines)).not.toContain('мусор');
  });
});
