import { CITIZENS_PER_SCAN } from '../../lambdas/adapters/citizen-records.js';
import { ERASED_CITIZEN_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import { USER_ID_VARIABLE } from '../citizen-ids.js';
import { MAX_SCAN_SEGMENTS, SCAN_SEGMENTS } from '../command-line.js';

/** The exit code of a run that kept some of the citizen's inquiries (or, dry, would keep them). */
export const KEPT = 3;

/** What `npm run citizen:erase -- --help` prints, and a mistake in the command line after the message. */
export const USAGE = `Deletes what the table holds of one citizen in one community, on their request (152-FZ art. 21: within
30 days of it): their finished inquiries (answered, closed, rejected) with everything kept for them, as the
nightly retention sweep deletes one past its period, their conversations' pointers, and the messaging
permission releases up to 13d2507 recorded for them (whatever is kept: nothing reads it). Their words that
others passed on in their inquiries (a reply to or a forward of their message) are redacted there, and so
are the mentions of them by their id in others' words (a reply to their comment starts with their id and name),
operators' words there too (a note, the reason of a close, reopen, reject, release or move, a reply). Their open
inquiries are listed and kept, unless --include-open; one opened as a new matter beside a case deleted keeps
its link to that case (its id, case number and category, none of their words), which then finds nothing. What a router's try that never stored a new inquiry of theirs left (their message's
history entries, its lookup, their conversation's pointer) is deleted too. The citizen is marked
erased in the community for ${ERASED_CITIZEN_DAYS} days (a slow digest of their id, not the id): the edits, deletions and
operators' replies VK still sends of their erased messages are dropped, never stored, and so is a message of
theirs written before it that comes late (a dead letter replayed); a message they write after it opens an
inquiry as anyone's.

  npm run citizen:erase -- --table <table name> --config <file> --community <VK group id> --user-from-stdin
                           [--include-open] [--removed-community] [--segments <n>] [--yes]  < ids.txt

--community     the community (VK group id, a positive number) the citizen wrote to: one --config names, or
                the command stops (a mistyped or swapped id would erase someone else)
--user-from-stdin
                reads the citizens' VK user ids (positive numbers, as the admin's ?author= filter takes them),
                one a line, from stdin (typed, then Ctrl-D, or from a file), and erases each in turn, from one
                read of the whole table for each ${CITIZENS_PER_SCAN} of them; a line that is no id stops the command
                before anything is done
${USER_ID_VARIABLE}   (a variable of the environment) one citizen's VK user id, instead
--user          one citizen's VK user id on the command line: it then stays in npm's debug log
                (~/.npm/_logs), the shell's history, and what \`ps\` shows meanwhile; the others leave it nowhere
--config        the configuration deployed (config/<stage>.json; config/local.json for the local runtime), with
                no default: the table is in its region
--removed-community
                --community is one taken out of the configuration: its citizen is erased all the same, their
                finished inquiries as any, their open ones kept, as no operator can end them
--include-open  also their open inquiries: each is first rejected, as an operator would reject it (nothing is
                sent to the citizen, its deadline stops, and it leaves the department's open work), then deleted
--segments      the parts of the table read side by side (default ${SCAN_SEGMENTS}, at most ${MAX_SCAN_SEGMENTS}): more go faster, and
                take more of the read capacity the functions share
--yes           deletes; without it the run only finds and lists what it would delete, and deletes nothing
--dry-run       finds and lists, deletes nothing, as a run without --yes does

It reads the whole table (a Scan: no index finds a citizen's every inquiry), in parts side by side, and says
every minute how many items it has read: a table of tens of GB takes from a quarter of an hour to over an
hour (docs/runbook.md). Safe to run again: a second run finds nothing left, or finishes what a stopped run
began. It prints ids, case numbers and counts, never what the citizen wrote nor their VK id (several are
numbered in the order given: citizen 2 of 3). It works in the configuration's
region (the stacks'), whatever the AWS profile's: AWS_REGION counts only for a configuration that names none.
Set AWS_ENDPOINT_URL_DYNAMODB for the local emulator.

Exit codes: 0 everything of theirs deleted (or, without --yes, would be); ${KEPT} some inquiries were kept (or would
be), each named with the reason: the request is not done yet; 1 the erasure failed; 2 a mistake in the
command line.`;
