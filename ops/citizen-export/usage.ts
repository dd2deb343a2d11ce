import { MAX_SCAN_SEGMENTS, SCAN_SEGMENTS } from '../command-line.js';

/** The variable that may hold the citizen's VK id instead of stdin. */
export const EXPORT_USER_ID = 'EXPORT_USER_ID';

/** What the file holds: the data as plain JSON, or a document in Russian to print or send. */
export const FORMATS = ['json', 'markdown'] as const;
export type CopyFormat = (typeof FORMATS)[number];

/** The exit code of a run that wrote the file without some history entries it could not read. */
export const INCOMPLETE = 3;

/** What `npm run citizen:export -- --help` prints, and a mistake in the command line after the message. */
export const USAGE = `Writes to one file a copy of what the table holds of one citizen in one community, on their request (152-FZ
art. 14; the answer is due within 10 working days, art. 20): each of their inquiries (its case number, when it
was opened, answered and closed, its status, category, department, where they wrote it, with its VK address),
their messages with their attachments' links, the acknowledgements, intermediate answers and answers sent to
them, with their times, and how long it is all kept (the retention period of --config). Not in it: who the
operators are and their internal notes, other people's words their messages passed on, the product's own
bookkeeping (docs/runbook.md, "A citizen asks for a copy of their data"). It changes nothing in the table.

  npm run citizen:export -- --table <table name> --config <file> --community <VK group id> --user-from-stdin
                            --out <file> [--format json|markdown] [--removed-community] [--segments <n>]  < id.txt

--community     the community (VK group id, a positive number) the citizen wrote to: one --config names, or
                the command stops
--user-from-stdin
                reads the citizen's VK user id (a positive number, as the admin's ?author= filter takes it), one
                line, from stdin (typed, then Ctrl-D, or from a file)
${EXPORT_USER_ID}  (a variable of the environment) the citizen's VK user id, instead; never on the command line,
                where it would stay in npm's debug log, the shell's history and what \`ps\` shows
--out           the file to write: a new one, created readable by you alone (mode 0600); an existing file is
                never overwritten (exit 2). It holds the citizen's personal data: hand it to them, then delete it
--format        json (default): the data as plain JSON; markdown: a document in Russian to print or send by e-mail
--config        the configuration deployed (config/<stage>.json; config/local.json for the local runtime), with
                no default: the table is in its region
--removed-community
                --community is one taken out of the configuration: their inquiries there are copied all the same
--segments      the parts of the table read side by side (default ${SCAN_SEGMENTS}, at most ${MAX_SCAN_SEGMENTS}): more go faster, and
                take more of the read capacity the functions share

It reads the whole table as citizen:erase does (a Scan: no index finds a citizen's every inquiry), in parts side
by side, and says every minute how many items it has read: a table of tens of GB takes from a quarter of an
hour to over an hour (docs/runbook.md). It prints counts only, never what the citizen wrote nor their VK id.
It works in the configuration's region (the stacks'), whatever the AWS profile's: AWS_REGION counts only for a
configuration that names none. Set AWS_ENDPOINT_URL_DYNAMODB for the local emulator.

Exit codes: 0 the file is written; ${INCOMPLETE} it is written without some inquiries or history entries that do
not read as theirs (named by inquiry, never their words: mend them, docs/runbook.md "A malformed inquiry item", delete the
file and run again); 1 the read failed, or the file could not be written whole (a full disk): no file is
left; 2 a mistake in the command line.`;
