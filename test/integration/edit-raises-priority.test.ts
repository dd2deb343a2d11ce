import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import { slaTermsFor } from '../../lambdas/domain/inquiry/deadline.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { MessageChange, RoutingMessage } from '../../lambdas/domain/messages.js';
import type { InquiryRepository } from '../../lambdas/domain/ports.js';
import type { Priority } from '../../lambdas/domain/taxonomy.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
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
 * A citizen edits the opening message of an inquiry already routed to say it is now a danger ("…и теперь
 * пахнет газом в подъезде"): the inquiry keeps its routing (operators may have acted on it), and the edit
 * raises its priority as the same words sent as a follow-up would: the sooner deadline, the history saying
 * why, the citizen told of the raise, the department's critical notice. Through the router's handler, or its
 * use cases over the real repository, against dynalite and fauxqs.
 */

const HOUSING = 'local-housing-token-change-me';
const config = readConfigFile('config/local.json');

const LIFT = 'В подъезде не работает лифт уже неделю, пожилые соседи не могут выйти';
const GAS = `${LIFT}, и теперь пахнет газом в подъезде`;

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];

beforeAll(async () => {
  ({ aws, router, repository, call } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

const written = dialogueMessages('erp');
const edited = dialogueEdits('erp');

/** The edit as classified at `priority`, whatever the committed model makes of its words. */
function classifiedAs(change: MessageChange, priority: Priority): MessageChange {
  if (!change.classification) throw new Error('the edit is not classified');
  return { ...change, classification: { ...change.classification, priority } };
}

const route = (...messages: RoutingMessage[]) => routeBatch(router, messages);
const acknowledgementIds = async () => (await queuedAcknowledgements(aws)).map((message) => message.id);

/** The citizen's report of the lift, routed to housing and acknowledged: the acknowledgement taken off. */
async function liftRouted(citizen: number): Promise<Inquiry> {
  const lift = written(citizen, 1, LIFT, new Date(Date.now() - 60_000));
  await route(lift);
  const [opened, ...more] = await inquiriesOfDialogue(repository, citizen);
  expect(more).toEqual([]);
  expect(opened).toMatchObject({ status: 'routed', department: 'housing', text: LIFT });
  expect(opened?.priority).not.toBe('critical');
  await drainQueue(aws.sqs, aws.queues.outbox.url);
  return opened as Inquiry;
}

/** A router over the repository acknowledging through the outbox queue, unless told not to. */
function routerOf(acknowledging = true, inquiries: InquiryRepository = repository) {
  const clock = { now: () => new Date() };
  return createMessageRouter({
    config,
    inquiries,
    clock,
    inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
    ...(acknowledging && {
      acknowledge: createAcknowledger({
        config,
        outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url),
        clock,
      }),
    }),
  });
}

describe('the opening message of a routed inquiry edited to report a danger', () => {
  it('raises it as well when the first try stored the changed words and stopped before the inquiry', async () => {
    const lift = await liftRouted(9907);
    const edit = classifiedAs(edited(9907, 1, GAS), 'critical');
    let failures = 1;
    const stopping = new Proxy(repository, {
      get(target, name) {
        if (name === 'update' && failures-- > 0)
          return async () => {
            throw new Error('the table is unreachable');
          };
        const value = Reflect.get(target, name);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(routerOf(false, stopping).applyMessageChange(edit)).rejects.toThrow(/unreachable/);
    expect((await repository.getInquiry(lift.id))?.priority).toBe(lift.priority);
    // The event come back reads the new words stored already: what the words before them were read at is
    // not known, and they raise as such words do, not weighed against themselves.
    expect(await routerOf(false).applyMessageChange(edit)).toMatchObject({
      outcome: 'changed',
      raised: true,
    });
    expect(await repository.getInquiry(lift.id)).toMatchObject({
      text: GAS,
      priority: 'critical',
      raiseCause: edit.eventKey,
    });
  });

  it('raises its priority, keeps its routing, and tells the citizen and the department, as a follow-up would', async () => {
    const lift = await liftRouted(9901);
    const edit = classifiedAs(edited(9901, 1, GAS), 'critical');

    // The first try stops before the outbox; the event come back acknowledges the raise, once.
    expect(await routerOf(false).applyMessageChange(edit)).toMatchObject({
      inquiryId: lift.id,
      outcome: 'changed',
    });
    const raised = await repository.getInquiry(lift.id);
    expect(raised).toMatchObject({
      status: 'routed',
      department: 'housing',
      category: lift.category,
      caseNumber: lift.caseNumber,
      text: GAS,
      priority: 'critical',
      terms: slaTermsFor(config.sla, lift.category, 'critical'),
      raiseCause: edit.eventKey,
      pendingNotification: { kind: 'critical', raisedFrom: lift.priority, department: 'housing' },
    });
    expect(raised?.firstResponseDueAt && lift.firstResponseDueAt).toBeTruthy();
    expect(String(raised?.firstResponseDueAt) < String(lift.firstResponseDueAt)).toBe(true);
    const history = (await repository.get(lift.id))?.history ?? [];
    expect(
      history.find(
        (entry) =>
          entry.kind === 'classified' &&
          entry.actor === 'classifier' &&
          entry.detail.toPriority === 'critical',
      ),
    ).toMatchObject({
      reason: expect.stringContaining(
        `the opening message was edited: it is critical, the priority was ${lift.priority}`,
      ),
      detail: { fromPriority: lift.priority, toPriority: 'critical' },
    });
    expect(await acknowledgementIds()).toEqual([]);

    expect(await routerOf().applyMessageChange(edit)).toMatchObject({ outcome: 'duplicate' });
    const raise = `${lift.id}:acknowledgement:raised-${edit.eventKey}`;
    const [told, ...more] = await queuedAcknowledgements(aws);
    expect(more).toEqual([]);
    expect(told?.id).toBe(raise);
    // In the words of a raise by an edit: the edited message was part of the case already, not "добавлено".
    expect(told?.text).toContain('звоните 112');
    expect(told?.text).toContain(
      `Ваше дополнение к обращению № ${lift.caseNumber} получено. Мы ответим Вам раньше — до`,
    );
    // Delivered again through the handler: nothing changes, the raise told under the same id.
    const before = await repository.getInquiry(lift.id);
    await route(edit);
    expect(await repository.getInquiry(lift.id)).toEqual(before);
    expect([...new Set(await acknowledgementIds())]).toEqual([raise]);
  });

  it('never lowers a priority, an operator set it or not, nor raises on an older edit come after a newer one', async () => {
    const lift = await liftRouted(9902);
    // The operator makes it critical by hand; the citizen's edit, read as high, leaves it so.
    const moved = await call('POST', `/api/v1/inquiries/${lift.id}/move`, HOUSING, {
      priority: 'critical',
      reason: 'газ',
    });
    expect(moved.status).toBeLessThan(300);
    const set = await repository.getInquiry(lift.id);
    expect(set?.priority).toBe('critical');
    await route(classifiedAs(edited(9902, 1, GAS), 'high'));
    expect(await repository.getInquiry(lift.id)).toMatchObject({
      priority: 'critical',
      firstResponseDueAt: set?.firstResponseDueAt,
    });
    expect((await repository.getInquiry(lift.id))?.raiseCause).toBeUndefined();

    // An edit of the danger that arrives after the citizen's later edit taking it away raises nothing.
    const other = await liftRouted(9903);
    const now = Date.now();
    await route(edited(9903, 1, `${LIFT}!`, new Date(now)));
    await route(classifiedAs(edited(9903, 1, GAS, new Date(now - 10_000)), 'critical'));
    expect(await repository.getInquiry(other.id)).toMatchObject({
      priority: other.priority,
      text: `${LIFT}!`,
    });
    expect(await acknowledgementIds()).toEqual([]);
  });

  it('reopens an inquiry answered within the window on the terms of the danger, told as a reopening', async () => {
    const lift = await liftRouted(9904);
    const reply = await call('POST', `/api/v1/inquiries/${lift.id}/reply`, HOUSING, {
      text: 'Лифт починили.',
    });
    expect(reply.body.status).toBe('answered');
    await drainQueue(aws.sqs, aws.queues.outbox.url);

    await route(classifiedAs(edited(9904, 1, GAS), 'critical'));
    const reopened = await repository.getInquiry(lift.id);
    expect(reopened).toMatchObject({
      status: 'reopened',
      department: 'housing',
      priority: 'critical',
      terms: slaTermsFor(config.sla, lift.category, 'critical'),
      pendingNotification: { kind: 'critical', department: 'housing' },
    });
    expect(await acknowledgementIds()).toEqual([`${lift.id}:acknowledgement:reopened-1`]);
  });
});
