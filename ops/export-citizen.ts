/**
 * `npm run citizen:export`: the command line (citizen-export/arguments.ts), then the read of what the table
 * holds of the citizen (citizen-export/read.ts), the copy made of it (citizen-export/copy.ts), as JSON or as a
 * document in Russian (citizen-export/markdown.ts), written to a new file (citizen-export/write.ts).
 */
import { exportRequestOf } from './citizen-export/arguments.js';
import { citizenCopy } from './citizen-export/copy.js';
import { copyAsMarkdown } from './citizen-export/markdown.js';
import { readCitizen } from './citizen-export/read.js';
import { INCOMPLETE, USAGE } from './citizen-export/usage.js';
import { writeNewFile } from './citizen-export/write.js';
import { type Failure, failureOf, readPrinter, runAsCommand } from './command-line.js';
import { stageDocumentClient, tableFailure } from './stage-table.js';

export { type CitizenCopy, citizenCopy } from './citizen-export/copy.js';
export { readCitizen } from './citizen-export/read.js';

const fail: Failure = failureOf('citizen:export');

async function main() {
  const request = await exportRequestOf(fail);
  if (request === 'help') return void console.log(USAGE);
  const { tableName, config, groupId, userId, out, format, segments } = request;
  const madeAt = new Date();
  let read: Awaited<ReturnType<typeof readCitizen>>;
  try {
    read = await readCitizen({
      client: stageDocumentClient(config),
      tableName,
      config,
      groupId,
      userId,
      segments,
      onRead: readPrinter(),
    });
  } catch (error) {
    return fail(tableFailure(error, tableName, config));
  }
  const copy = citizenCopy({ config, groupId, userId, ...read, madeAt });
  try {
    writeNewFile(out, format === 'json' ? `${JSON.stringify(copy, null, 2)}\n` : copyAsMarkdown(copy));
  } catch (error) {
    return fail(`--out: ${out} could not be written whole (${(error as Error).message}): no file is left`);
  }
  const unopened = copy.unopenedMessages.length;
  console.log(
    `${copy.inquiries.length} inquiries of the citizen in community ${groupId}` +
      `${unopened > 0 ? `, and ${unopened} messages of theirs never stored as an inquiry` : ''}, written to ${out}`,
  );
  console.log('The file holds their personal data: hand it to them, then delete it from this machine.');
  const { malformed, malformedInquiries } = read;
  if (malformed.length > 0 || malformedInquiries.length > 0) {
    for (const { inquiryId, attributes } of malformedInquiries)
      console.log(`left out: the inquiry ${inquiryId}, whole (malformed: ${attributes.join(', ')})`);
    for (const { inquiryId, at, attributes } of malformed)
      console.log(`left out: a history entry of ${inquiryId} at ${at} (malformed: ${attributes.join(', ')})`);
    const leftOut = [
      ...(malformedInquiries.length > 0 ? [`${malformedInquiries.length} inquiries`] : []),
      ...(malformed.length > 0 ? [`${malformed.length} history entries`] : []),
    ].join(' and ');
    fail(
      `${leftOut} left out (named above): mend them (docs/runbook.md, ` +
        '"A malformed inquiry item"), delete the file and run again',
      INCOMPLETE,
    );
  }
}

runAsCommand(import.meta.url, main, fail);
