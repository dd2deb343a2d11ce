import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { ApiAnswer, ApiRequest, OperatorApiDeps, UseCase } from '../../lambdas/operator-api/api.js';
import { FollowUpFailed } from '../../lambdas/operator-api/change-inquiry.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../../lambdas/operator-api/routes.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { takeInquiry } from '../../lambdas/operator-api/use-cases/take-inquiry.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry as openInquiryAs } from '../support/inquiries.js';
import { localOperatorApi, type OperatorApiCall, toCitizen } from '../support/operator-api.js';

/**
 * Operators changing one inquiry at the same moment, and a change whose message cannot be queued: the use
 * cases against dynalite and fauxqs, with the reads of the first attempt held until every request has read,
 * so that the race happens every time rather than now and then.
 */

/** The repository, with its first `readers` reads of an inquiry held until all of them are made. */
class RacingRepository extends DynamoInquiryRepository {
  private held: (() => void)[] = [];
  readers = 0;

  override async getInquiry(id: string): Promise<Inquiry | undefined> {
    const inquiry = await super.getInquiry(id);
    if (this.readers > 0) {
      this.readers--;
      await new Promise<void>((resolve) => {
        this.held.push(resolve);
        if (this.readers === 0) for (const release of this.held.splice(0)) release();
      });
    }
    return inquiry;
  }
}

let aws: TestAws;
let repository: RacingRepository;
let deps: OperatorApiDeps;
const config = readConfigFile('config/local.json');
const operators: Record<string, Operator> = {
  anna: { id: 'sub-anna', name: 'Анна Иванова', admin: false, departments: ['housing'] },
  boris: { id: 'sub-boris', name: 'Борис Петров', admin: false, departments: ['housing'] },
};

const request = <Body>(operator: Operator, id: string, body: Body, key: string): ApiRequest<Body> => ({
  operator,
  params: { id },
  query: {},
  body,
  idempotencyKey: key,
});

let opened = 0;
const openInquiry = () => {
  opened++;
  return openInquiryAs(
    { config, inquiries: repository },
    {
      peerId: 7000 + opened,
      eventKey: `race-${opened}`,
      text: 'Не вывозят мусор во дворе',
      category: 'waste',
    },
  );
};

const historyOf = async (id: string) => (await repository.get(id))?.history ?? [];
const queued = async () =>
  (await drainQueue(aws.sqs, aws.queues.answers.url)).map((body) => JSON.parse(body) as OutboxMessage);

/** A use case with its request, to race. */
const change =
  <Body>(useCase: UseCase<Body>, each: ApiRequest<Body>) =>
  () =>
    useCase(each, deps);

/** Runs the changes at once, their first reads held until all have read. */
function race(...changes: (() => Promise<ApiAnswer>)[]) {
  repository.readers = changes.length;
  return Promise.all(changes.map((run) => run()));
}

beforeAll(async () => {
  aws = await startTestAws();
  const client = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  repository = new RacingRepository(client, aws.tableName);
  deps = {
    config,
    inquiries: repository,
    queries: new DynamoOperatorQueries(client, aws.tableName),
    outbox: new SqsOutbox(aws.sqs, aws.queues.answers.url),
    clock: systemClock,
  };
});
afterAll(() => aws?.stop());
beforeEach(async () => {
  await drainQueue(aws.sqs, aws.queues.answers.url);
});

describe('operators changing one inquiry at once', () => {
  it('lets one of two operators take it; the history tells of that one alone', async () => {
    const id = await openInquiry();
    const answers = await race(
      change(takeInquiry, request(operators.anna as Operator, id, {}, 'take-a')),
      change(takeInquiry, request(operators.boris as Operator, id, {}, 'take-b')),
    );
    expect(answers.map((each) => each.status).sort()).toEqual([200, 409]);
    const taken = (await historyOf(id)).filter((entry) => entry.to === 'in_progress');
    expect(taken).toHaveLength(1);
    // The answer leaves the causes out: the stored inquiry tells whose request won.
    const winner = (await repository.getInquiry(id)) as Inquiry;
    const who = (winner.causes.at(-1)?.endsWith('take-a') ? operators.anna : operators.boris) as Operator;
    expect(taken[0]).toMatchObject({ actorId: who.id, actorName: who.name });
    // The other is told who has it.
    expect(answers.find((each) => each.status === 409)?.body).toEqual({
      code: 'taken_by_other',
      message: `the inquiry is taken by ${who.name}: take it over with force`,
      holder: { id: who.id, name: who.name },
      current: { status: 'in_progress', version: winner.version },
    });
    expect((await repository.getInquiry(id))?.assignee).toEqual({ id: who.id, name: who.name });
  });

  it('sends the citizen one answer when two operators answer at once, and tells the other it was answered', async () => {
    const id = await openInquiry();
    const answers = await race(
      change(reply, request(operators.anna as Operator, id, { text: 'Вывезли утром' }, 'reply-a')),
      change(reply, request(operators.boris as Operator, id, { text: 'Контейнеры вывезены' }, 'reply-b')),
    );
    expect(answers.map((each) => each.status).sort()).toEqual([200, 409]);
    const stored = await repository.getInquiry(id);
    const changedMeanwhile = answers.find((each) => each.status === 409);
    expect(changedMeanwhile?.body).toEqual({
      code: 'changed_meanwhile',
      message: 'the inquiry changed while this request was made: it is answered now',
      current: { status: 'answered', version: stored?.version },
    });
    expect(changedMeanwhile?.headers).toEqual({ etag: `"${stored?.version}"` });
    const answered = (await queued()).filter((message) => message.purpose === 'answer');
    expect(answered).toHaveLength(1);
    const replies = (await historyOf(id)).filter((entry) => entry.kind === 'reply');
    // The history keeps the operator's words; the citizen reads them after the line naming the case.
    expect(answered.map((message) => message.text)).toEqual(
      replies.map((entry) => toCitizen(String(entry.detail.text))),
    );
  });

  it("refuses a colleague's answer to the holder's inquiry, and sends one answer when both answer at once", async () => {
    const id = await openInquiry();
    await takeInquiry(request(operators.anna as Operator, id, {}, 'take-held'), deps);
    const answers = await race(
      change(reply, request(operators.anna as Operator, id, { text: 'Вывезли утром' }, 'reply-held-a')),
      change(
        reply,
        request(operators.boris as Operator, id, { text: 'Контейнеры вывезены' }, 'reply-held-b'),
      ),
    );
    expect(answers.map((each) => each.status)).toEqual([200, 409]);
    expect(answers[1]?.body).toMatchObject({ code: 'taken_by_other', holder: { id: operators.anna?.id } });
    // Sent on purpose at the same moment as the holder's answer: one of them is the answer, the other is told.
    const other = await openInquiry();
    await takeInquiry(request(operators.anna as Operator, other, {}, 'take-held-2'), deps);
    const forced = await race(
      change(reply, request(operators.anna as Operator, other, { text: 'Вывезли утром' }, 'reply-forced-a')),
      change(
        reply,
        request(operators.boris as Operator, other, { text: 'Вывезены', force: true }, 'reply-forced-b'),
      ),
    );
    expect(forced.map((each) => each.status).sort()).toEqual([200, 409]);
    expect(forced.find((each) => each.status === 409)?.body).toMatchObject({ code: 'changed_meanwhile' });
    const answered = (await queued()).filter((message) => message.purpose === 'answer');
    expect(answered.map((message) => message.inquiryId)).toEqual([id, other]);
  });

  it('records a request sent twice at once (a double click) once, and sends its words once', async () => {
    const id = await openInquiry();
    // Each request reads its own time, a few milliseconds apart, as two Lambda invocations would.
    let tick = 0;
    const ticking = { ...deps, clock: { now: () => new Date(Date.now() + 7 * tick++) } };
    const twice = request(operators.anna as Operator, id, { text: 'Вывезли' }, 'double-click');
    repository.readers = 2;
    const answers = await Promise.all([reply(twice, ticking), reply(twice, ticking)]);
    expect(answers.map((each) => each.status)).toEqual([200, 200]);
    const replies = (await historyOf(id)).filter((entry) => entry.kind === 'reply');
    expect(replies.map((entry) => entry.detail.text)).toEqual(['Вывезли']);
    // Both queue it (the first may have stopped before), as one outbox message: the responder sends it once.
    const answered = (await queued()).filter((message) => message.purpose === 'answer');
    expect(new Set(answered.map((message) => message.id)).size).toBe(1);
  });

  it('keeps the history of the changes made, one of them on a second attempt, and of no attempt that lost', async () => {
    const id = await openInquiry();
    // Taking it and an intermediate answer do not exclude each other: if the answer loses the first write,
    // its second attempt is made; if taking loses, it is refused on what the answer made.
    const answers = await race(
      change(takeInquiry, request(operators.anna as Operator, id, {}, 'take-1')),
      change(intermediateAnswer, request(operators.boris as Operator, id, { text: 'Работаем' }, 'answer-1')),
    );
    const made = answers.filter((each) => each.status === 200);
    expect(made.length).toBeGreaterThan(0);
    const inquiry = await repository.getInquiry(id);
    const operatorEntries = (await historyOf(id)).filter((entry) => entry.actor === 'operator');
    expect(operatorEntries).toHaveLength(made.length);
    for (const entry of operatorEntries)
      expect(inquiry?.causes.some((cause) => entry.key.includes(`#${cause}#`))).toBe(true);
  });
});

describe('a change whose message cannot be queued', () => {
  it('is saved, says so, and the same request repeated sends the message once and records it once', async () => {
    const id = await openInquiry();
    let refuse = true;
    const outbox = {
      send: async (message: OutboxMessage) => {
        if (refuse) throw new Error('SQS cannot be reached');
        await deps.outbox.send(message);
      },
    };
    const flaky = { ...deps, outbox };
    const first = reply(request(operators.anna as Operator, id, { text: 'Вывезли' }, 'key-1'), flaky);
    await expect(first).rejects.toBeInstanceOf(FollowUpFailed);
    expect((await repository.getInquiry(id))?.status).toBe('answered');
    expect(await queued()).toEqual([]);

    refuse = false;
    const again = await reply(request(operators.anna as Operator, id, { text: 'Вывезли' }, 'key-1'), flaky);
    expect(again.status).toBe(200);
    expect((await queued()).map((message) => message.text)).toEqual([toCitizen('Вывезли')]);
    expect((await historyOf(id)).filter((entry) => entry.kind === 'reply')).toHaveLength(1);
  });

  it('repeated by an operator who has left the department since, sends the message and shows nothing of the inquiry', async () => {
    const id = await openInquiry();
    let refuse = true;
    const outbox = {
      send: async (message: OutboxMessage) => {
        if (refuse) throw new Error('SQS cannot be reached');
        await deps.outbox.send(message);
      },
    };
    const flaky = { ...deps, outbox };
    const anna = operators.anna as Operator;
    await expect(reply(request(anna, id, { text: 'Вывезли' }, 'key-left'), flaky)).rejects.toBeInstanceOf(
      FollowUpFailed,
    );

    refuse = false;
    const gone = { ...anna, departments: [] };
    const again = await reply(request(gone, id, { text: 'Вывезли' }, 'key-left'), flaky);
    expect(again).toEqual({ status: 204, body: undefined });
    expect((await queued()).map((message) => message.text)).toEqual([toCitizen('Вывезли')]);
    expect((await historyOf(id)).filter((entry) => entry.kind === 'reply')).toHaveLength(1);
    // Any other change of theirs is told it is out of their departments now, and is not made.
    const other = await reply(request(gone, id, { text: 'Вывезли' }, 'key-other'), flaky);
    expect(other).toMatchObject({ status: 409, body: { code: 'left_your_departments' } });
    expect(await queued()).toEqual([]);
  });
});

/** What a call returned, and the metrics (embedded metric format) it wrote to stdout meanwhile. */
async function metricsWrittenBy<T>(call: () => Promise<T>) {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    const result = await call();
    const metrics = lines
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .flatMap((line) => {
        const { CloudWatchMetrics } = line._aws as {
          CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[];
        };
        return CloudWatchMetrics.flatMap((directive) =>
          directive.Metrics.map((metric) => ({
            name: metric.Name,
            dimensions: directive.Dimensions,
            service: line.service,
            ...(line.department !== undefined && { department: line.department }),
          })),
        );
      });
    return { result, metrics };
  } finally {
    write.mockRestore();
  }
}

describe('the handler', () => {
  const TOKEN = 'local-housing-token-change-me';
  let api: OperatorApiCall;
  const call = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    api('POST', path, TOKEN, body, headers);

  beforeAll(async () => {
    // An answers queue that does not exist: every message to a citizen fails to be queued.
    process.env.ANSWERS_QUEUE_URL = `${aws.queues.answers.url}-missing`;
    api = await localOperatorApi();
  });

  it('answers 503 when the change is saved but its message could not be queued, and counts it for the alarm', async () => {
    const id = await openInquiry();
    const { result: answer, metrics } = await metricsWrittenBy(() =>
      call(
        `/api/v1/inquiries/${id}/reply`,
        { text: 'Вывезли' },
        {
          'idempotency-key': 'reply-503',
        },
      ),
    );
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ code: 'unavailable', idempotencyKey: 'reply-503' });
    expect(answer.body.message).toMatch(/saved.*Idempotency-Key/);
    expect(answer.headers).toMatchObject({ 'retry-after': '5', 'idempotency-key': 'reply-503' });
    expect((await repository.getInquiry(id))?.status).toBe('answered');
    // The answer saved is the inquiry's first response, counted as the router counts one: one metric for the
    // service, its department a property of the line (for Logs Insights), not a metric per department. A 503
    // fails no invocation: the second count is what the alarm watches.
    expect(metrics).toEqual([
      {
        name: 'FirstResponsesInTime',
        dimensions: [['service']],
        service: 'operator-api',
        department: 'housing',
      },
      { name: 'OperatorMessagesNotQueued', dimensions: [['service']], service: 'operator-api' },
    ]);
  });

  it('gives a change sent without a key the one it is saved under, and repeated with it, queues its message once', async () => {
    const id = await openInquiry();
    const first = await call(`/api/v1/inquiries/${id}/reply`, { text: 'Вывезли' });
    expect(first.status).toBe(503);
    const key = first.headers['idempotency-key'] ?? '';
    expect(key).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(first.body).toMatchObject({ code: 'unavailable', idempotencyKey: key });

    // The queue comes back (the handler's, which did not exist): the console repeats the reply with the key.
    const missing = process.env.ANSWERS_QUEUE_URL ?? '';
    const created = await aws.sqs.send(new CreateQueueCommand({ QueueName: missing.split('/').at(-1) }));
    expect(created.QueueUrl).toBe(missing);
    try {
      const again = await call(
        `/api/v1/inquiries/${id}/reply`,
        { text: 'Вывезли' },
        { 'idempotency-key': key },
      );
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('answered');
      const sent = (await drainQueue(aws.sqs, missing)).map((body) => JSON.parse(body) as OutboxMessage);
      expect(sent.map((message) => [message.purpose, message.text])).toEqual([
        ['answer', toCitizen('Вывезли')],
      ]);
      // Answered as made: the message's outbox id, and the inquiry's version to make the next change on.
      expect(again.body.outboxId).toBe(sent[0]?.id);
      expect(again.headers.etag).toBe(`"${(await repository.getInquiry(id))?.version}"`);
      expect((await historyOf(id)).filter((entry) => entry.kind === 'reply')).toHaveLength(1);
    } finally {
      await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: missing }));
    }
  });

  it('refuses an Idempotency-Key it cannot keep, rather than ignoring it', async () => {
    const id = await openInquiry();
    for (const key of ['with space', 'a:b', 'x'.repeat(101), ''])
      expect((await call(`/api/v1/inquiries/${id}/take`, {}, { 'idempotency-key': key })).status).toBe(400);
    expect((await repository.getInquiry(id))?.status).toBe('routed');
  });

  it('takes a key reused on another action for a new change, never for the one before', async () => {
    const id = await openInquiry();
    const key = { 'idempotency-key': 'one-key' };
    expect(
      (await call(`/api/v1/inquiries/${id}/intermediate-answer`, { text: 'Работаем' }, key)).status,
    ).toBe(503);
    expect((await call(`/api/v1/inquiries/${id}/reply`, { text: 'Готово' }, key)).status).toBe(503);
    const replies = (await historyOf(id)).filter((entry) => entry.kind === 'reply');
    expect(replies.map((entry) => entry.detail.text)).toEqual(['Работаем', 'Готово']);
    expect((await repository.getInquiry(id))?.status).toBe('answered');
  });

  it('takes a key reused on another action with the same words for a new change: the answer is made and sent', async () => {
    const id = await openInquiry();
    const key = { 'idempotency-key': 'same-words' };
    const words = { text: 'Мусор вывезут сегодня' };
    expect((await call(`/api/v1/inquiries/${id}/intermediate-answer`, words, key)).status).toBe(503);
    expect((await call(`/api/v1/inquiries/${id}/reply`, words, key)).status).toBe(503);
    const replies = (await historyOf(id)).filter((entry) => entry.kind === 'reply');
    expect(replies.map((entry) => entry.detail.intermediate)).toEqual([true, false]);
    expect((await repository.getInquiry(id))?.status).toBe('answered');
  });

  it("takes another operator's request with the same key for their own change, not for the first one's", async () => {
    const id = await openInquiry();
    const key = { 'idempotency-key': '1' };
    expect((await call(`/api/v1/inquiries/${id}/take`, {}, key)).status).toBe(200);
    const released = await call(
      `/api/v1/inquiries/${id}/release`,
      { reason: 'Ухожу в отпуск' },
      { 'idempotency-key': '2' },
    );
    expect(released.status).toBe(200);
    // Another console counting its requests from 1 too: the admin's take is theirs.
    const taken = await api('POST', `/api/v1/inquiries/${id}/take`, 'local-admin-token-change-me', {}, key);
    expect(taken.status).toBe(200);
    expect(taken.body.assignee).toMatchObject({ id: 'local-admin' });
    expect((await repository.getInquiry(id))?.assignee?.id).toBe('local-admin');
  });
});

describe("an operator's words to the citizen", () => {
  /** The operator API's dependencies with the first community setting no line before an answer's words. */
  const withoutAnswerPrefix = (): OperatorApiDeps => {
    const [community, ...others] = config.communities;
    return {
      ...deps,
      config: { ...config, communities: [{ ...community, answerPrefix: '' }, ...others] },
    } as OperatorApiDeps;
  };

  it('reach the citizen after a line naming the case; the history keeps the words as written', async () => {
    const id = await openInquiry();
    const caseNumber = (await repository.getInquiry(id))?.caseNumber as string;
    const anna = operators.anna as Operator;
    await intermediateAnswer(request(anna, id, { text: 'Передали подрядчику.' }, 'words-1'), deps);
    await reply(request(anna, id, { text: 'Вывезли.' }, 'words-2'), deps);
    expect((await queued()).map((message) => [message.purpose, message.text])).toEqual([
      ['intermediate_answer', `По обращению № ${caseNumber}:\nПередали подрядчику.`],
      ['answer', `По обращению № ${caseNumber}:\nВывезли.`],
    ]);
    const words = (await historyOf(id)).filter((entry) => entry.kind === 'reply');
    expect(words.map((entry) => entry.detail.text)).toEqual(['Передали подрядчику.', 'Вывезли.']);
  });

  it('count the line against VK’s limit: words that fit alone but not with it answer 400, and nothing changes', async () => {
    const id = await openInquiry();
    const caseNumber = (await repository.getInquiry(id))?.caseNumber as string;
    const prefix = `По обращению № ${caseNumber}:`;
    const longest = 9000 - prefix.length - 1;
    const anna = operators.anna as Operator;
    const tooLong = await reply(request(anna, id, { text: 'я'.repeat(longest + 1) }, 'long-1'), deps);
    expect(tooLong).toEqual({
      status: 400,
      body: {
        code: 'validation_failed',
        message: 'invalid body',
        issues: [expect.stringContaining(`text: too long: at most ${longest} characters for this inquiry`)],
      },
    });
    expect((await repository.getInquiry(id))?.status).not.toBe('answered');
    expect(await queued()).toEqual([]);

    const fits = await reply(request(anna, id, { text: 'я'.repeat(longest) }, 'long-2'), deps);
    expect(fits.status).toBe(200);
    const [sent] = await queued();
    expect(sent?.text).toHaveLength(9000);
    expect(sent?.text.startsWith(`${prefix}\n`)).toBe(true);
  });

  it('go without the line where the community sets none', async () => {
    const id = await openInquiry();
    const unprefixed = withoutAnswerPrefix();
    // Nothing before them: VK's limit is the inquiry's.
    const tooLong = await reply(
      request(operators.anna as Operator, id, { text: 'я'.repeat(9001) }, 'plain-long'),
      unprefixed,
    );
    expect(tooLong).toMatchObject({
      status: 400,
      body: {
        issues: [
          "text: too long: at most 9000 characters for this inquiry (its maxTextLength), VK's limit of a message",
        ],
      },
    });
    await reply(request(operators.anna as Operator, id, { text: 'Вывезли.' }, 'plain-1'), unprefixed);
    expect((await queued()).map((message) => message.text)).toEqual(['Вывезли.']);
  });

  it('are taken again when the request is repeated after the line came to apply, sent without it', async () => {
    const id = await openInquiry();
    const unprefixed = withoutAnswerPrefix();
    const anna = operators.anna as Operator;
    // Taken while no line went before the words (its answer lost to the operator, say a 503), then repeated
    // with the same key once the line applies, which the words no longer fit beside.
    const words = 'я'.repeat(8995);
    expect((await reply(request(anna, id, { text: words }, 'repeat-long'), unprefixed)).status).toBe(200);
    await queued();
    const repeated = await reply(request(anna, id, { text: words }, 'repeat-long'), deps);
    expect(repeated).toMatchObject({ status: 200, body: { status: 'answered' } });
    expect((await queued()).map((message) => message.text)).toEqual([words]);
  });
});
