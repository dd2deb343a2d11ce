import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { ERASED_CITIZEN_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import { OVERTAKEN_RETRY_MS } from '../../lambdas/router/route-message.js';
import type { TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, fixture } from '../support/fixtures.js';
import {
  type Consumer,
  handedOn,
  routeWaiting,
  routingQueuesTaken,
  startRouterHandler,
} from '../support/router.js';

let aws: TestAws;
let router: Consumer;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  ({ aws, router, repository } = await startRouterHandler());
});
afterAll(() => aws?.stop());

const DAY = 86_400_000;
const POST = 91;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const unix = (at: Date) => Math.floor(at.getTime() / 1000);

/** A recorded VK event of the demo community with `object` over its object, as the classifier hands it on. */
function routed(name: string, eventKey: string, object: Record<string, unknown>) {
  const recorded = fixture(name) as { type: string; object: Record<string, unknown> };
  const message = handedOn(recorded.type, { ...recorded.object, ...object }, eventKey);
  if (!message) throw new Error(`${name} hands nothing on`);
  return message;
}

/** `citizen`'s comment `id` under the community's post, written at `at`. */
const comment = (citizen: number, id: number, at: Date, text: string) =>
  routed('vknet/WallReplyNewTest.json', `e:late-edit-new-${id}`, {
    id,
    from_id: citizen,
    date: unix(at),
    text,
    post_owner_id: -DEMO_GROUP_ID,
    post_id: POST,
  });
/** Its edit: VK dates it as the comment was written. */
const editOfComment = (citizen: number, id: number, written: Date, text: string) =>
  routed('vknet/WallReplyEditTest.json', `e:late-edit-edit-${id}`, {
    id,
    from_id: citizen,
    date: unix(written),
    text,
    post_owner_id: -DEMO_GROUP_ID,
    post_id: POST,
  });

const send = (messages: unknown[], waitingSince?: Date) => routeWaiting(router, messages, waitingSince);
const queued = () => routingQueuesTaken(aws);
const inquiriesOf = async (citizen: number) =>
  (await repository.listAll()).filter(
    (inquiry) => inquiry.groupId === DEMO_GROUP_ID && inquiry.authorId === citizen,
  );
/** When the wait of a change routed now began, for its wait to be over. */
const waitOver = () => new Date(Date.now() - OVERTAKEN_RETRY_MS);

describe("the edit of a citizen's message late from the dead letters, against dynalite and fauxqs", () => {
  it('keeps beside its message the edit of one written more than 14 days ago, and applies it once both are replayed', async () => {
    const CITIZEN = 7373;
    const written = daysAgo(20);
    const edit = editOfComment(CITIZEN, 3, written, 'У дома 6 на улице Садовой яма, фото ниже');
    // Its message is a dead letter still (an events dead letter replayed on day 13, failing again in routing):
    // once its wait is over, the edit goes to wait beside it.
    expect((await send([edit], waitOver())).batchItemFailures).toEqual([]);
    const { dead } = await queued();
    expect(dead).toEqual([edit]);
    // Both replayed: the message first, then the edit.
    expect(
      (await send([comment(CITIZEN, 3, written, 'У дома 6 на улице Садовой яма')])).batchItemFailures,
    ).toEqual([]);
    expect((await send(dead)).batchItemFailures).toEqual([]);
    const [inquiry, ...more] = await inquiriesOf(CITIZEN);
    expect(more).toEqual([]);
    expect(inquiry?.text).toContain('фото ниже');
  });

  it('drops the edit of a message written longer ago than a message may still come: it would wait for nothing', async () => {
    const CITIZEN = 7474;
    const edit = editOfComment(CITIZEN, 4, daysAgo(ERASED_CITIZEN_DAYS + 1), 'Яма у дома 8 всё ещё там');
    expect((await send([edit], waitOver())).batchItemFailures).toEqual([]);
    expect(await queued()).toEqual({ waiting: [], dead: [] });
    expect(await inquiriesOf(CITIZEN)).toEqual([]);
  });
});
