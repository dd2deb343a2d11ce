import { CATCH_UP_CALLS_PER_SECOND } from './history.js';

/** How far back a catch-up may reach, in days. */
export const CATCH_UP_DAYS = 7;

/** What `npm run vk:catch-up -- --help` prints, and a mistake in the command line after the message. */
export const USAGE = `Fetches from VK the direct messages citizens wrote to a community while VK could not deliver them to us,
and queues them for the pipeline as ingest would have.

  npm run vk:catch-up -- --config <file> --community <group id> --since <ISO time> [--until <ISO time>]
                         [--secrets <file>] [--vk-api <url>]
  npm run vk:catch-up -- --config <file> --community <group id> --since <ISO time> [--until <ISO time>]
                         --yes --queue <events queue URL> [--secrets <file>] [--vk-api <url>]

VK sends a Callback API event six times at most, over about 1 h 43 min, then gives it up: messages written
while ingest refused or could not store events for longer (SQS or SSM out, a wrong secret after a rotation, a
bad deploy) reach us no other way. Give --since a little before the outage began, and --until (default: now)
after it ended. Times are ISO 8601 with their zone: 2026-03-02T10:00:00Z, 2026-03-02T15:00+05:00.

Without --yes it only looks (a dry run): it counts the community's dialogues with a message since --since and
the citizens' messages written in the window, by day (UTC), and never prints a citizen's id or words. With
--yes it queues each message as a message_new event on --queue, the events queue (the Stateful stack's output
EventsQueueUrl), as ingest does: the classifier and the router take them as any other, and the router drops
each message it holds already (RepeatedMessagesDropped), so a run over a window that is partly delivered, or
a second run, opens nothing twice. The events carry no event_id: their keys come from the messages' ids,
the same on every run.

The window reaches back at most ${CATCH_UP_DAYS} days. VK gives up an event within two hours, so an outage's messages
are hours old; a week covers one found after a long weekend. Older, the run would read every dialogue of the
week in VK for no message missed, and bring back, as new, messages a citizen may since have had erased
(citizen:erase remembers an erasure only so long after the words it erased could still come).

Only direct messages in the community's dialogues are fetched. Group chats the community is in are counted,
not read: VK's messages.getHistory gives a chat's history to no call on a community's behalf. Wall, board, photo, video and
product comments are not: the community token cannot read some of them, and one missed there must still be
found in VK by hand (docs/runbook.md, "Refused VK events").

It reads with the community token (tokens.community of the configuration, from SSM Parameter Store in the
configuration's region, or from --secrets, a local secrets file), which needs the "messages" right, at most
${CATCH_UP_CALLS_PER_SECOND} calls a second: the responders share the token's 20. VK's errors 6, 9, 10 and 36 are tried again twice,
a second and two seconds apart; any other stops it, named. Stopped half-way with --yes, what it queued stays
queued: run it again, the router drops those it holds.

The local runtime's queues name a host that does not resolve: set AWS_ENDPOINT_URL_SQS to the SQS endpoint
npm start prints, with the credentials of the line it prints for the ops commands.`;
