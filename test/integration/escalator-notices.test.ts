import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  deliveryFailedCause,
  type InquiryEvent,
} from '../../lambdas/domain/inquiry/state-machine.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import { outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import type { DeadlineDigest, EscalationNotifier } from '../../lambdas/domain/ports.js';
import type { ApiRequest, OperatorApiDeps, UseCase } from '../../lambdas/operator-api/api.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { moveInquiry } from '../../lambdas/operator-api/use-cases/move-inquiry.js';
import { rejectInquiry } from '../../lambdas/operator-api/use-cases/reject-inquiry.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { takeInquiry } from '../../lambdas/operator-api/use-cases/take-inquiry.js';
import { moveDepartment } from '../../ops/move-department.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import { temporaryFile } from '../support/temp-dir.js';

/**
 * Whom the escalator tells, and of what, once an inquiry warned or escalated has moved on: moved to another
 * department, answered, or rejected before its notice went out. Through the escalator's and the operator
 * API's code against dynalite.
 */

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let queries: DynamoOperatorQueries;
const config = readConfigFile('config/local.json');
const admin: Operator = { id: 'sub-head', name: 'Ольга Сидорова', admin: true, departments: [] };
const ROADS = 'Департамент дорог и транспорта';
const HOUSING = 'Департамент ЖКХ';

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  repository = new DynamoInquiryRepository(client, aws.tableName);
  queries = new DynamoOperatorQueries(client, aws.tableName);
});

/** Each inquiry's citizen writes in a dialogue of their own: a follow-up would join another's inquiry. */
let citizens = 0;

/**
 * A `high` roads inquiry opened at 09:00 in Perm on `day`: warned at 12:12 (07:12 UTC), due at 13:00 (08:00 UTC).
 * `peerId` and `at` another citizen's message and time, a follow-up that may reopen their answered inquiry.
 */
async function openAt(day: string, key: string, peerId = 7000 + ++citizens, at = `${day}T04:00:00.000Z`) {
  return openInquiry(
    { config, inquiries: repository },
    { peerId, eventKey: key, text: 'Яма', category: 'roads', priority: 'high', at, idPrefix: 'notice' },
  );
}

/** The escalator's handler, run at `at` with `notifier`. */
async function escalateAt(at: string, notifier: EscalationNotifier) {
  const { createEscalatorHandler } = await import('../../lambdas/escalator/handler.js');
  const handler = createEscalatorHandler({ clock: { now: () => new Date(at) }, notifier });
  return handler({}, {
    functionName: 'escalator',
    awsRequestId: at,
    getRemainingTimeInMillis: () => 60_000,
  } as Context);
}

/**
 * The configuration deployed after roads was renamed roads-new (its id changed, its routing with it), as
 * docs/runbook.md's "Renaming, merging or removing a department" does it.
 */
function roadsRenamed(): { file: string; config: AppConfig } {
  const json = JSON.parse(readFileSync('config/local.json', 'utf8')) as {
    departments: { id: string }[];
    routing: { department: string }[];
  };
  for (const one of [...json.departments, ...json.routing]) {
    if ('id' in one && one.id === 'roads') one.id = 'roads-new';
    if ('department' in one && one.department === 'roads') one.department = 'roads-new';
  }
  const file = temporaryFile('renamed-', 'config.json', JSON.stringify(json));
  return { file, config: readConfigFile(file) };
}

/** `run` with the functions loaded under the configuration `file` (CONFIG_FILE), as deployed with it. */
async function deployedWith<T>(file: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env.CONFIG_FILE;
  process.env.CONFIG_FILE = file;
  vi.resetModules();
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env.CONFIG_FILE;
    else process.env.CONFIG_FILE = saved;
    vi.resetModules();
  }
}

/** An operator API change by an admin at `at`. */
function operatorChange<Body>(useCase: UseCase<Body>, id: string, body: Body, at: string, key: string) {
  const deps: OperatorApiDeps = {
    config,
    inquiries: repository,
    queries,
    outbox: { send: async () => undefined },
    clock: { now: () => new Date(at) },
  };
  const request: ApiRequest<Body> = { operator: admin, params: { id }, query: {}, body, idempotencyKey: key };
  return useCase(request, deps);
}

/** Applies the responder's (or an operator's) change to the stored inquiry, as their writers do. */
async function save(id: string, event: InquiryEvent, at: string) {
  const calendar = config.communities.find((community) => community.groupId === 123456789)?.calendar;
  if (!calendar) throw new Error('no demo community');
  const current = (await repository.getInquiry(id)) as Inquiry;
  const result = applyEvent(current, event, {
    calendar,
    warnAtFraction: config.sla.warnAtFraction,
    now: new Date(at),
  });
  if (result.outcome !== 'changed') throw new Error(result.outcome);
  await repository.update(result.inquiry, current.version, result.history);
}

/** The notices of an inquiry the digests gave each department, as [department, kind]. */
const toldOf = (digests: DeadlineDigest[], id: string) =>
  digests.flatMap((digest) =>
    digest.notifications
      .filter((notice) => notice.inquiryId === id)
      .map((notice) => [digest.department, notice.kind]),
  );

/** The lines of a digest's text that tell of the inquiry numbered `caseNumber`. */
const entryOf = (digest: DeadlineDigest | undefined, caseNumber: string | undefined) =>
  (digest?.text ?? '')
    .slice((digest?.text ?? '').indexOf(`Обращение № ${caseNumber}`))
    .split('\n\n')[0]
    ?.split('\n')
    .map((line) => line.trim());

const refusing: EscalationNotifier = {
  notify: async () => {
    throw new Error('SNS cannot be reached');
  },
};

describe('an inquiry moved after its warning or escalation', () => {
  it('is told to the department it was moved to, as moved, warned and then escalated there', async () => {
    // Monday 1 June 2026.
    const id = await openAt('2026-06-01', 'moved-warned');
    const warned = recordingNotifier();
    await escalateAt('2026-06-01T07:15:00.000Z', warned);
    expect(toldOf(warned.sent, id)).toEqual([['roads', 'warning']]);

    const moved = await operatorChange(
      moveInquiry,
      id,
      { department: 'housing', reason: 'ЖКХ' },
      '2026-06-01T07:20:00.000Z',
      'm1',
    );
    expect(moved.status).toBe(200);
    const after = recordingNotifier();
    await escalateAt('2026-06-01T07:25:00.000Z', after);
    expect(toldOf(after.sent, id)).toEqual([['housing', 'warning']]);
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    expect(
      entryOf(
        after.sent.find((digest) => digest.department === 'housing'),
        caseNumber,
      ),
    ).toEqual([
      expect.stringContaining(`Обращение № ${caseNumber}`),
      `Идентификатор для оператора: ${id}`,
      'Сообщество: Администрация (демо)',
      'Категория: Дороги, приоритет: высокий',
      'Статус: направлено в отдел',
      'Никто не взял в работу',
      'Срок первого ответа: 1 июня в 13:00 по местному времени сообщества (МСК+2)',
      expect.stringMatching(/^Осталось 3\d мин рабочего времени/u),
      'Нужно: дать первый (промежуточный) ответ',
      `Передано из: ${ROADS}`,
    ]);

    const breach = recordingNotifier();
    await escalateAt('2026-06-01T08:05:00.000Z', breach);
    expect(toldOf(breach.sent, id)).toEqual([['housing', 'breach']]);
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
  });

  it('is told to the department it was moved to once escalated, and once only', async () => {
    // Tuesday 2 June 2026.
    const id = await openAt('2026-06-02', 'moved-escalated');
    const escalated = recordingNotifier();
    await escalateAt('2026-06-02T08:05:00.000Z', escalated);
    expect(toldOf(escalated.sent, id)).toEqual([['roads', 'breach']]);

    await operatorChange(
      moveInquiry,
      id,
      { department: 'housing', reason: 'ЖКХ' },
      '2026-06-02T08:10:00.000Z',
      'm2',
    );
    const after = recordingNotifier();
    await escalateAt('2026-06-02T08:15:00.000Z', after);
    expect(toldOf(after.sent, id)).toEqual([['housing', 'breach']]);
    expect(after.sent.find((digest) => digest.department === 'housing')?.text).toContain(
      `Передано из: ${ROADS}`,
    );
    const later = recordingNotifier();
    await escalateAt('2026-06-02T08:20:00.000Z', later);
    expect(toldOf(later.sent, id)).toEqual([]);
    expect(await repository.getInquiry(id)).toMatchObject({
      department: 'housing',
      clock: { breached: true },
    });
  });

  it('is told anew only if it was warned or escalated: a move before that tells no one', async () => {
    const id = await openAt('2026-06-02', 'moved-early');
    await operatorChange(
      moveInquiry,
      id,
      { department: 'housing', reason: 'ЖКХ' },
      '2026-06-02T05:00:00.000Z',
      'm3',
    );
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
  });
});

describe('a notice whose e-mail was refused until its clock stopped', () => {
  it('is dropped unsent when it warned of a deadline the inquiry was answered in time for', async () => {
    // Wednesday 3 June 2026: warned at 12:15 while SNS is down, answered at 12:20, 40 minutes early.
    const id = await openAt('2026-06-03', 'answered-in-time');
    await expect(escalateAt('2026-06-03T07:15:00.000Z', refusing)).rejects.toThrow(/could not check/u);
    expect((await repository.getInquiry(id))?.pendingNotification).toMatchObject({ kind: 'warning' });
    await operatorChange(reply, id, { text: 'Яму засыпали' }, '2026-06-03T07:20:00.000Z', 'a1');

    const next = recordingNotifier();
    await escalateAt('2026-06-03T07:30:00.000Z', next);
    expect(toldOf(next.sent, id)).toEqual([]);
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'answered', escalated: false });
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
  });

  it('tells an escalation to the department it happened in, not to triage where the inquiry was rejected to', async () => {
    // Thursday 4 June 2026: escalated at 13:05 while SNS is down, then rejected as spam.
    const id = await openAt('2026-06-04', 'rejected-late');
    await expect(escalateAt('2026-06-04T08:05:00.000Z', refusing)).rejects.toThrow(/could not check/u);
    const rejected = await operatorChange(
      rejectInquiry,
      id,
      { reason: 'спам' },
      '2026-06-04T08:10:00.000Z',
      'r1',
    );
    expect(rejected.status).toBe(200);
    expect(await repository.getInquiry(id)).toMatchObject({ status: 'rejected', department: 'triage' });

    const next = recordingNotifier();
    await escalateAt('2026-06-04T08:15:00.000Z', next);
    expect(toldOf(next.sent, id)).toEqual([['roads', 'breach']]);
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    const entry = entryOf(
      next.sent.find((digest) => digest.department === 'roads'),
      caseNumber,
    );
    expect(entry).toContain('Срок пропущен: позже сообщение признано не обращением');
    expect(entry?.join('\n')).not.toMatch(/Просрочено на/u);
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
    const again = recordingNotifier();
    await escalateAt('2026-06-04T08:20:00.000Z', again);
    expect(toldOf(again.sent, id)).toEqual([]);
  });
});

describe('two escalator runs at once', () => {
  it('send each notice once: the second finds the first under way and leaves the work to it', async () => {
    // Monday 8 June 2026: three inquiries past their deadline.
    const ids = [
      await openAt('2026-06-08', 'overlap-1'),
      await openAt('2026-06-08', 'overlap-22'),
      await openAt('2026-06-08', 'overlap-333'),
    ];
    const first = recordingNotifier();
    const second = recordingNotifier();
    const runs = await Promise.all([
      escalateAt('2026-06-08T08:05:00.000Z', first),
      escalateAt('2026-06-08T08:05:00.000Z', second),
    ]);
    expect(runs.filter((run) => run.alreadyRunning)).toHaveLength(1);
    const told = [...first.sent, ...second.sent];
    expect(ids.map((id) => toldOf(told, id))).toEqual(ids.map(() => [['roads', 'breach']]));

    // The lease is given back: the next run runs.
    expect(await escalateAt('2026-06-08T08:10:00.000Z', recordingNotifier())).not.toHaveProperty(
      'alreadyRunning',
    );
  });
});

describe('an escalation held back while its inquiry moved on', () => {
  it('is told to the department whose deadline passed, and then to the one that now has the inquiry', async () => {
    // Tuesday 9 June 2026: escalated at 13:05 while SNS is down, moved to housing at 13:10.
    const id = await openAt('2026-06-09', 'held-moved');
    await expect(escalateAt('2026-06-09T08:05:00.000Z', refusing)).rejects.toThrow(/could not check/u);
    const moved = await operatorChange(
      moveInquiry,
      id,
      { department: 'housing', reason: 'ЖКХ' },
      '2026-06-09T08:10:00.000Z',
      'hm1',
    );
    expect(moved.status).toBe(200);

    const first = recordingNotifier();
    await escalateAt('2026-06-09T08:15:00.000Z', first);
    const second = recordingNotifier();
    await escalateAt('2026-06-09T08:20:00.000Z', second);
    const told = [...first.sent, ...second.sent];
    expect(toldOf(told, id)).toEqual([
      ['roads', 'breach'],
      ['housing', 'breach'],
    ]);
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    const entryTo = (department: string) =>
      entryOf(
        told.find((digest) => digest.department === department && toldOf([digest], id).length > 0),
        caseNumber,
      );
    expect(entryTo('roads')?.join('\n')).not.toMatch(/Передано из/u);
    // Roads' head learns where the inquiry went, and whom to ask; housing's, where it came from.
    expect(entryTo('roads')).toContain(`Передано в: ${HOUSING}`);
    expect(entryTo('housing')).toContain(`Передано из: ${ROADS}`);
    expect(entryTo('housing')?.join('\n')).not.toMatch(/Передано в/u);

    const later = recordingNotifier();
    await escalateAt('2026-06-09T08:25:00.000Z', later);
    expect(toldOf(later.sent, id)).toEqual([]);
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
  });
});

describe('a notice held back for a department since renamed', () => {
  it('is told after `departments:move`, and the inquiry is warned of its next deadline in the new one', async () => {
    // Wednesday 10 June 2026: escalated at 13:05 while SNS is down, an intermediate answer at 13:08.
    const id = await openAt('2026-06-10', 'renamed-held');
    await expect(escalateAt('2026-06-10T08:05:00.000Z', refusing)).rejects.toThrow(/could not check/u);
    const answered = await operatorChange(
      intermediateAnswer,
      id,
      { text: 'Работаем' },
      '2026-06-10T08:08:00.000Z',
      'ri1',
    );
    expect(answered.status).toBe(200);

    const renamed = roadsRenamed();
    await moveDepartment({
      client,
      tableName: aws.tableName,
      config: renamed.config,
      from: 'roads',
      to: 'roads-new',
      clock: { now: () => new Date('2026-06-10T08:10:00.000Z') },
    });
    expect((await repository.getInquiry(id))?.department).toBe('roads-new');

    const next = recordingNotifier();
    await deployedWith(renamed.file, () => escalateAt('2026-06-10T08:15:00.000Z', next));
    expect(toldOf(next.sent, id)).toEqual([['roads-new', 'breach']]);
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    expect(
      entryOf(
        next.sent.find((digest) => toldOf([digest], id).length > 0),
        caseNumber,
      ),
    ).toEqual(expect.arrayContaining(['Срок пропущен: первый ответ дан позже', 'Передано из: roads']));
    const stored = await repository.getInquiry(id);
    expect(stored?.pendingNotification).toBeUndefined();

    // Its resolution deadline, in roads-new now, is warned of there.
    const warnAt = stored?.clock?.warnAt ?? '';
    expect(stored?.clock).toMatchObject({ kind: 'resolution', warned: false });
    const warned = recordingNotifier();
    await deployedWith(renamed.file, () => escalateAt(warnAt, warned));
    expect(toldOf(warned.sent, id)).toEqual([['roads-new', 'warning']]);
  });

  it('is told to the department the inquiry was moved to before the rename, and lets retention delete it', async () => {
    // Thursday 11 June 2026: escalated at 13:05 while SNS is down, a first response at 13:08, moved to
    // housing at 13:10 and answered there at 13:12; roads is renamed afterwards.
    const id = await openAt('2026-06-11', 'renamed-after-move');
    await expect(escalateAt('2026-06-11T08:05:00.000Z', refusing)).rejects.toThrow(/could not check/u);
    await operatorChange(intermediateAnswer, id, { text: 'Работаем' }, '2026-06-11T08:08:00.000Z', 'rm1');
    await operatorChange(
      moveInquiry,
      id,
      { department: 'housing', reason: 'ЖКХ' },
      '2026-06-11T08:10:00.000Z',
      'rm2',
    );
    await operatorChange(reply, id, { text: 'Яму засыпали' }, '2026-06-11T08:12:00.000Z', 'rm3');
    expect(await repository.getInquiry(id)).toMatchObject({
      status: 'answered',
      department: 'housing',
      pendingNotification: { kind: 'breach', department: 'roads' },
    });

    const renamed = roadsRenamed();
    const next = recordingNotifier();
    await deployedWith(renamed.file, () => escalateAt('2026-06-11T08:15:00.000Z', next));
    expect(toldOf(next.sent, id)).toEqual([['housing', 'breach']]);
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    expect(
      entryOf(
        next.sent.find((digest) => toldOf([digest], id).length > 0),
        caseNumber,
      ),
    ).toEqual(expect.arrayContaining(['Срок пропущен: ответ дан позже', 'Передано из: roads']));
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();

    // Five years on (retention.closedInquiryDays), the retention sweep deletes it.
    await deployedWith(renamed.file, async () => {
      const { createRetentionHandler } = await import('../../lambdas/retention/handler.js');
      const sweep = createRetentionHandler({ clock: { now: () => new Date('2031-07-01T00:00:00.000Z') } });
      await sweep({}, {
        functionName: 'retention',
        awsRequestId: 'retention-2031',
        getRemainingTimeInMillis: () => 900_000,
      } as Context);
    });
    expect(await repository.getInquiry(id)).toBeUndefined();
  });
});

describe('what a digest tells of an inquiry beside its deadline', () => {
  it('names who took it and when, and an intermediate answer VK refused, which leaves the first response owed', async () => {
    // Monday 20 April 2026, 09:00 in Perm: taken at 09:30, answered "in work" at 10:00, which VK refuses.
    const id = await openAt('2026-04-20', 'held');
    expect((await operatorChange(takeInquiry, id, {}, '2026-04-20T04:30:00.000Z', 'held-take')).status).toBe(
      200,
    );
    const given = '2026-04-20T05:00:00.000Z';
    await save(
      id,
      {
        type: 'intermediate_answer',
        cause: 'op:held',
        at: given,
        operatorId: admin.id,
        operatorName: admin.name,
        text: 'Работаем',
        via: 'console',
      },
      given,
    );
    const outboxId = outboxIdFor(id, 'intermediate_answer', 'op:held');
    await save(
      id,
      {
        type: 'delivery_failed',
        cause: deliveryFailedCause(outboxId),
        at: '2026-04-20T05:00:05.000Z',
        outboxId,
        purpose: 'intermediate_answer',
        reason: "VK error 901: Can't send messages for users without permission",
      },
      '2026-04-20T05:00:05.000Z',
    );
    // 13:05: the first response, owed again, is 5 minutes late.
    const notifier = recordingNotifier();
    await escalateAt('2026-04-20T08:05:00.000Z', notifier);
    const [digest] = notifier.sent;
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    expect(entryOf(digest, caseNumber)).toEqual([
      `Обращение № ${caseNumber}`,
      `Идентификатор для оператора: ${id}`,
      'Сообщество: Администрация (демо)',
      'Категория: Дороги, приоритет: высокий',
      'Статус: в работе',
      'В работе у: Ольга Сидорова (взято 20 апреля в 09:30)',
      'Промежуточный ответ не дошёл до гражданина (VK отказал 20 апреля в 10:00): первый ответ снова не дан',
      'Срок первого ответа: 20 апреля в 13:00 по местному времени сообщества (МСК+2)',
      // 13:00 to 14:00 is the lunch break: no working time has passed since.
      'Срок истёк в 13:00: просрочено на 5 мин по календарю, рабочего времени с тех пор не прошло',
      'Нужно: дать первый (промежуточный) ответ',
    ]);
    expect(digest?.text).toContain(
      '\nПроверка сроков: 20 апреля в 13:05 по местному времени сообщества (МСК+2).\n',
    );
  });

  it('tells that the citizen reopened it, and who answered it before', async () => {
    // Tuesday 21 April 2026: opened at 09:00, answered from the console at 10:00, reopened by the citizen at
    // 11:00: a new first response due four working hours on, past the lunch hour, at 16:00 (11:00 UTC), warned
    // at 15:12.
    const peerId = 7900;
    const id = await openAt('2026-04-21', 'reopened', peerId);
    expect(
      (await operatorChange(reply, id, { text: 'Яму засыпали' }, '2026-04-21T05:00:00.000Z', 'r-ans')).status,
    ).toBe(200);
    expect(await openAt('2026-04-21', 'reopened-again', peerId, '2026-04-21T06:00:00.000Z')).toBe(id);
    expect((await repository.getInquiry(id))?.status).toBe('reopened');
    const notifier = recordingNotifier();
    await escalateAt('2026-04-21T10:15:00.000Z', notifier);
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    const lines = entryOf(notifier.sent[0], caseNumber);
    expect(lines).toContain('Статус: открыто заново 21 апреля в 11:00');
    expect(lines).toContain('В работе у: Ольга Сидорова (взято 21 апреля в 10:00)');
    expect(lines).toContain('Срок первого ответа: 21 апреля в 16:00 по местному времени сообщества (МСК+2)');
  });
});
