import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage, MessageChange } from '../../lambdas/domain/messages.js';
import type { Priority } from '../../lambdas/domain/taxonomy.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import {
  dialogueEdits,
  dialogueMessages,
  inquiriesOfDialogue,
  queuedAcknowledgements,
  routeBatch,
} from '../support/dialogue.js';
import type { OperatorApiCall } from '../support/operator-api.js';
import { type Consumer, startRouterAndOperatorApi, type startRouterHandler } from '../support/router.js';

/**
 * An operator judged the citizen's `critical` words a false alarm and set the inquiry back to `normal`; the
 * citizen then edits a message of those words. An edit whose words are no more urgent than the words before
 * it (a typo fixed) leaves the operator's judgement standing: no raise, no word to the citizen, no critical
 * notice. An edit adding a danger to words read `normal` still raises. Through the router's handler and the
 * operator API against dynalite and fauxqs.
 */

const HOUSING = 'local-housing-token-change-me';
const GAS = 'В подъезде пахнет газом, соседи говорят что утечка на третьем этаже';
const GAS_FIXED = 'В подъезде пахнет газом, соседи говорят, что утечка на третьем этаже';
const LIFT = 'В подъезде не работает лифт уже неделю, пожилые соседи не могут выйти';

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];

beforeAll(async () => {
  ({ aws, router, repository, call } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

const written = dialogueMessages('setback-edit');
const edited = dialogueEdits('setback-edit');

/** The message or edit as classified: an inquiry of housing at `priority`, whatever the model makes of it. */
function classifiedAs<T extends ClassifiedMessage | MessageChange>(message: T, priority: Priority): T {
  if (!message.classification) throw new Error('not classified');
  return {
    ...message,
    classification: { ...message.classification, inquiry: true, category: 'housing', priority },
  };
}

/** The citizen's only inquiry, routed from `text` read at `priority`, the acknowledgements taken off. */
async function routedAt(citizen: number, text: string, priority: Priority): Promise<Inquiry> {
  await routeBatch(router, [
    classifiedAs(written(citizen, 1, text, new Date(Date.now() - 120_000)), priority),
  ]);
  const [opened, ...more] = await inquiriesOfDialogue(repository, citizen);
  expect(more).toEqual([]);
  expect(opened).toMatchObject({ status: 'routed', department: 'housing', priority });
  await drainQueue(aws.sqs, aws.queues.outbox.url);
  return opened as Inquiry;
}

/** The operator sets the inquiry back to `normal`, a false alarm: no notice left to send. */
async function setBack(id: string): Promise<Inquiry> {
  const moved = await call('POST', `/api/v1/inquiries/${id}/move`, HOUSING, {
    priority: 'normal',
    reason: 'ложная тревога: газовая служба проверила',
  });
  expect(moved.status).toBeLessThan(300);
  const set = await repository.getInquiry(id);
  expect(set).toMatchObject({ priority: 'normal' });
  expect(set?.pendingNotification).toBeUndefined();
  await drainQueue(aws.sqs, aws.queues.outbox.url);
  return set as Inquiry;
}

describe('an edit of words an operator set back', () => {
  it('raises nothing when its words are no more urgent than the words before it (a typo fixed)', async () => {
    const gas = await routedAt(9951, GAS, 'critical');
    const set = await setBack(gas.id);

    await routeBatch(router, [classifiedAs(edited(9951, 1, GAS_FIXED), 'critical')]);
    const after = await repository.getInquiry(gas.id);
    expect(after).toMatchObject({ text: GAS_FIXED, priority: 'normal', terms: set.terms });
    expect(after?.firstResponseDueAt).toBe(set.firstResponseDueAt);
    expect(after?.raiseCause).toBeUndefined();
    expect(after?.pendingNotification).toBeUndefined();
    expect(await queuedAcknowledgements(aws)).toEqual([]);
  });

  it('raises nothing on a typo fixed in a follow-up whose danger was set back', async () => {
    const lift = await routedAt(9952, LIFT, 'normal');
    await routeBatch(router, [
      classifiedAs(written(9952, 2, GAS, new Date(Date.now() - 60_000)), 'critical'),
    ]);
    expect(await repository.getInquiry(lift.id)).toMatchObject({ priority: 'critical' });
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    await setBack(lift.id);

    await routeBatch(router, [classifiedAs(edited(9952, 2, GAS_FIXED), 'critical')]);
    const after = await repository.getInquiry(lift.id);
    expect(after).toMatchObject({ priority: 'normal' });
    expect(after?.pendingNotification).toBeUndefined();
    expect(await queuedAcknowledgements(aws)).toEqual([]);
  });

  it('still raises on a danger added to words read normal, the citizen told and the duty officers notified', async () => {
    const lift = await routedAt(9953, LIFT, 'high');
    await setBack(lift.id);

    const edit = classifiedAs(edited(9953, 1, `${LIFT}, и теперь пахнет газом`), 'critical');
    await routeBatch(router, [edit]);
    expect(await repository.getInquiry(lift.id)).toMatchObject({
      priority: 'critical',
      raiseCause: edit.eventKey,
      pendingNotification: { kind: 'critical', raisedFrom: 'normal', department: 'housing' },
    });
    expect((await queuedAcknowledgements(aws)).map((told) => told.id)).toEqual([
      `${lift.id}:acknowledgement:raised-${edit.eventKey}`,
    ]);
  });

  it('raises as before on the words of a message stored before their priority was kept', async () => {
    const gas = await routedAt(9954, GAS, 'critical');
    await setBack(gas.id);
    // The message's lookup as stored before it kept the priority of its words.
    await aws.dynamo.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: { pk: `MSG#${gas.groupId}#${gas.openingMessage?.messageRef}`, sk: 'MSG' },
        UpdateExpression: 'REMOVE priority',
      }),
    );

    const edit = classifiedAs(edited(9954, 1, GAS_FIXED), 'critical');
    await routeBatch(router, [edit]);
    expect(await repository.getInquiry(gas.id)).toMatchObject({
      priority: 'critical',
      raiseCause: edit.eventKey,
      pendingNotification: { kind: 'critical', department: 'housing' },
    });
  });

  it('raises on a danger written back into words a release that kept no priority changed', async () => {
    const gas = await routedAt(9955, GAS, 'critical');
    await setBack(gas.id);
    const now = Date.now();
    // The citizen's edit taking the danger away, applied by that release after a rollback: the new words and
    // their time, the priority of the words before them left on the item.
    await aws.dynamo.send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: { pk: `MSG#${gas.groupId}#${gas.openingMessage?.messageRef}`, sk: 'MSG' },
        UpdateExpression: 'SET #text = :text, changedAt = :at',
        ExpressionAttributeNames: { '#text': 'text' },
        ExpressionAttributeValues: { ':text': LIFT, ':at': new Date(now - 10_000).toISOString() },
      }),
    );

    const edit = classifiedAs(edited(9955, 1, GAS_FIXED, new Date(now)), 'critical');
    await routeBatch(router, [edit]);
    expect(await repository.getInquiry(gas.id)).toMatchObject({
      priority: 'critical',
      raiseCause: edit.eventKey,
    });
    // The edit's words keep their priority: a typo fixed in them after a set-back raises nothing.
    await setBack(gas.id);
    await routeBatch(router, [
      classifiedAs(edited(9955, 1, `${GAS_FIXED}!`, new Date(now + 1000)), 'critical'),
    ]);
    expect(await repository.getInquiry(gas.id)).toMatchObject({ priority: 'normal' });
  });
});
