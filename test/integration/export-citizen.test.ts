import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toHistoryItem } from '../../lambdas/adapters/history-items.js';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoOutboxLedger } from '../../lambdas/adapters/outbox-ledger.js';
import { type HistoryEntry, historyKey, type Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { applyEvent, type InquiryEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import { deliveryHistoryEntry } from '../../lambdas/domain/outbox/delivery-outcome.js';
import { outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import { ERASED_MENTION } from '../../lambdas/domain/vk/mentions.js';
import { inquiryIdFor } from '../../lambdas/router/inquiry-ids.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import type { CitizenCopy } from '../../ops/export-citizen.js';
import { opsCommandEnvironment, startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { DEMO_GROUP_ID, TEST_CONFIG_FILE } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { wallCommentHandedOn } from '../support/router.js';
import { temporaryDirectory } from '../support/temp-dir.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile(TEST_CONFIG_FILE);

/** A test that runs the command several times, each a Node process of its own (2–3 s on a busy machine). */
const CLI_TIMEOUT_MS = 90_000;

/** The inquiry ids of these tests' routers. */
const idFor = (group: number, key: string) => `ex-${group}-${key}`;

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
});
afterAll(() => aws?.stop());

const routerAt = (at: string) =>
  createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: idFor,
  });

/** A citizen's direct message to the demo community, routed at `at`; resolves the inquiry. */
async function directMessage(peerId: number, eventKey: string, at: string, text: string): Promise<string> {
  const message = classifiedDirectMessage({ peerId, eventKey, at, text, category: 'waste' });
  return (await routerAt(at).routeCitizenMessage(message)).inquiryId;
}

/** A citizen's comment under the demo community's post, routed at `at`; resolves the inquiry. */
async function wallComment(citizen: number, postId: number, id: number, at: string, text: string) {
  const comment = wallCommentHandedOn({ citizen, id, text, at: new Date(at) }, postId, 'ex-wall');
  return (await routerAt(at).routeCitizenMessage(comment as ClassifiedMessage)).inquiryId;
}

async function change(id: string, at: string, event: InquiryEvent): Promise<void> {
  const inquiry = await repository.getInquiry(id);
  if (!inquiry) throw new Error(`no inquiry ${id}`);
  const calendar = config.communities.find(({ groupId }) => groupId === inquiry.groupId)?.calendar;
  if (!calendar) throw new Error(`no community ${inquiry.groupId}`);
  const result = applyEvent(inquiry, event, { calendar, warnAtFraction: 0.8, now: new Date(at) });
  if (result.outcome !== 'changed') throw new Error(`the change of ${id} was ${result.outcome}`);
  await repository.update(result.inquiry, inquiry.version, result.history);
}

/** The words of an entry of a copy, where it has any. */
const textOf = (entry: CitizenCopy['inquiries'][number]['correspondence'][number]) =>
  'text' in entry ? entry.text : undefined;

const OPERATOR = { operatorId: 'op-7f3a', operatorName: 'Анна Операторова' } as const;

/** The acknowledgement the responder delivered to the citizen, as its history entry records it. */
async function acknowledged(id: string, at: string, text: string): Promise<void> {
  const inquiry = await repository.getInquiry(id);
  if (!inquiry) throw new Error(`no inquiry ${id}`);
  const message = {
    kind: 'message_to_citizen' as const,
    id: outboxIdFor(id, 'acknowledgement', `ack-${id}`),
    inquiryId: id,
    groupId: inquiry.groupId,
    purpose: 'acknowledgement' as const,
    replyTo: inquiry.replyTo,
    citizenId: inquiry.authorId,
    text,
    requestedAt: at,
    requestedBy: 'router',
  };
  const outcome = { kind: 'delivered' as const, method: 'messages.send', vkId: 4242 };
  await new DynamoOutboxLedger(documents, aws.tableName).appendHistory([
    deliveryHistoryEntry(message, outcome, '1.1', at),
  ]);
}

/**
 * An inquiry like `from`, with the citizen's one message `text` at `at`, stored as an earlier release or a
 * department since removed left it: found by no index's query.
 */
async function storedAs(from: string, id: string, at: string, text: string, fields: Partial<Inquiry>) {
  const inquiry = await repository.getInquiry(from);
  if (!inquiry) throw new Error(`no inquiry ${from}`);
  const { caseNumber: _caseNumber, department: _department, ...rest } = inquiry;
  const stored = { ...rest, id, version: 1, text, createdAt: at, updatedAt: at, ...fields };
  const message: HistoryEntry = {
    inquiryId: id,
    key: historyKey(at, `vk:${id}`, 1),
    at,
    kind: 'message',
    actor: 'citizen',
    actorId: inquiry.authorId,
    detail: { eventKey: `vk:${id}`, text },
  };
  expect(await repository.create(stored, [message])).toBe(true);
}

const stageArguments = ['--table', '', '--config', TEST_CONFIG_FILE, '--community', String(DEMO_GROUP_ID)];
const commandLine = (...more: string[]) => {
  const common = [...stageArguments];
  common[1] = aws.tableName;
  return [...common, ...more];
};

describe('a copy of what the product holds about one citizen, against dynalite', () => {
  it("writes the citizen's inquiries, their words and the answers, and nothing of others nor of the operators", {
    timeout: CLI_TIMEOUT_MS,
  }, async () => {
    const citizen = 7_300_001;
    const neighbour = 7_300_002;
    const erased = 7_300_003;
    // January: a direct message, acknowledged, answered first "in work", then in substance; an operator's note.
    const dm = await directMessage(
      citizen,
      'ex-dm-1',
      '2026-01-12T04:00:00.000Z',
      'Во дворе не вывозят мусор',
    );
    await acknowledged(dm, '2026-01-12T04:00:05.000Z', 'Здравствуйте! Ваше обращение зарегистрировано.');
    await change(dm, '2026-01-12T06:00:00.000Z', {
      type: 'note',
      cause: 'op:note-1',
      at: '2026-01-12T06:00:00.000Z',
      text: 'Позвонила в УК, сосед из кв. 5 Сидоров жалуется тоже',
      ...OPERATOR,
    });
    await change(dm, '2026-01-12T07:00:00.000Z', {
      type: 'intermediate_answer',
      cause: 'op:intermediate-1',
      at: '2026-01-12T07:00:00.000Z',
      text: 'Обращение в работе, ответим до пятницы',
      via: 'console',
      ...OPERATOR,
    });
    await change(dm, '2026-01-14T07:00:00.000Z', {
      type: 'final_answer',
      cause: 'op:answer-1',
      at: '2026-01-14T07:00:00.000Z',
      text: 'Мусор вывезли',
      via: 'console',
      ...OPERATOR,
    });
    // February: a comment under a post, naming a neighbour by their VK mention; the neighbour is erased since.
    const comment = await wallComment(
      citizen,
      77,
      501,
      '2026-02-10T05:00:00.000Z',
      `[id${erased}|Пётр Петров], и у вас тоже яма на дороге у школы`,
    );
    // A message rejected before rejected ones were listed, and an inquiry of a department since removed: no
    // index by department lists either.
    const rejected = idFor(DEMO_GROUP_ID, 'ex-old-rejected');
    await storedAs(comment, rejected, '2025-12-01T04:00:00.000Z', 'Спасибо за работу', {
      status: 'rejected',
    });
    const removed = idFor(DEMO_GROUP_ID, 'ex-removed-department');
    await storedAs(comment, removed, '2026-03-02T04:00:00.000Z', 'Не работает светофор', {
      status: 'routed',
      department: 'roads-old',
    });
    // Someone else's inquiry in the same community.
    await directMessage(neighbour, 'ex-dm-neighbour', '2026-01-20T04:00:00.000Z', 'Чужое обращение соседа');
    await eraseCitizen({
      client: documents,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: erased,
      inquiryIdFor: idFor,
    });

    const folder = temporaryDirectory('citizen-export-');
    const out = join(folder, 'copy.json');
    const env = opsCommandEnvironment(aws);
    const run = await runTsx(
      'ops/export-citizen.ts',
      commandLine('--user-from-stdin', '--out', out, '--segments', '2'),
      `${citizen}\n`,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `4 inquiries of the citizen in community ${DEMO_GROUP_ID}, written to ${out}`,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain(String(citizen));
    expect(`${run.stdout}${run.stderr}`).not.toContain('мусор');
    // Readable and writable by whoever ran it alone.
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const written = readFileSync(out, 'utf8');
    const copy = JSON.parse(written) as CitizenCopy;
    expect(copy.community).toEqual({ groupId: DEMO_GROUP_ID, name: 'Администрация (демо)' });
    expect(copy.retention.closedInquiryDays).toBe(config.retention.closedInquiryDays);
    expect(copy.inquiries.map(({ status }) => status)).toEqual(['rejected', 'answered', 'routed', 'routed']);
    // In the order they were opened.
    const [ofRejected, ofDm, ofComment, ofRemoved] = copy.inquiries;
    expect(ofDm).toMatchObject({
      caseNumber: expect.stringMatching(/^2026-\d+$/),
      openedAt: '2026-01-12T04:00:00.000Z',
      answeredAt: '2026-01-14T07:00:00.000Z',
      statusName: 'ответ дан',
      categoryName: 'Мусор и ТКО',
      department: 'Департамент ЖКХ',
      source: { channel: 'direct_message' },
    });
    // Five years after the answer, as the configuration keeps it.
    expect(ofDm?.deletedAfter).toBe(
      new Date(
        Date.parse('2026-01-14T07:00:00.000Z') + config.retention.closedInquiryDays * 86_400_000,
      ).toISOString(),
    );
    expect(ofDm?.correspondence).toEqual([
      { at: '2026-01-12T04:00:00.000Z', from: 'citizen', kind: 'message', text: 'Во дворе не вывозят мусор' },
      {
        at: '2026-01-12T04:00:05.000Z',
        from: 'body',
        kind: 'acknowledgement',
        text: 'Здравствуйте! Ваше обращение зарегистрировано.',
      },
      {
        at: '2026-01-12T07:00:00.000Z',
        from: 'body',
        kind: 'intermediate_answer',
        text: 'Обращение в работе, ответим до пятницы',
      },
      { at: '2026-01-14T07:00:00.000Z', from: 'body', kind: 'answer', text: 'Мусор вывезли' },
    ]);
    expect(ofComment).toMatchObject({
      source: { channel: 'wall_comment', vkUrl: `https://vk.com/wall-${DEMO_GROUP_ID}_77?reply=501` },
    });
    // Open: no term runs yet.
    expect(ofComment?.deletedAfter).toBeUndefined();
    // The erased neighbour's mention stays redacted.
    expect(ofComment?.correspondence).toEqual([
      expect.objectContaining({
        kind: 'message',
        text: `${ERASED_MENTION}, и у вас тоже яма на дороге у школы`,
      }),
    ]);
    expect(written).not.toContain(String(erased));
    expect(written).not.toContain('Пётр Петров');
    expect(ofRejected).toMatchObject({ status: 'rejected', statusName: 'признано не обращением' });
    expect(ofRejected?.caseNumber).toBeUndefined();
    expect(ofRejected?.correspondence).toEqual([
      { at: '2025-12-01T04:00:00.000Z', from: 'citizen', kind: 'message', text: 'Спасибо за работу' },
    ]);
    // Of a department no longer configured: found, its name not known.
    expect(ofRemoved).toMatchObject({ status: 'routed', correspondence: [{ text: 'Не работает светофор' }] });
    expect(ofRemoved?.department).toBeUndefined();

    // Nothing of the neighbour's, of the operators, or of the product's bookkeeping.
    for (const absent of [
      'Чужое обращение соседа',
      'Сидоров',
      'Анна Операторова',
      'op-7f3a',
      'ex-dm-1',
      'ex-wall',
      dm,
      comment,
      rejected,
      removed,
      'eventKey',
      'outboxId',
      'actorId',
    ])
      expect(written, absent).not.toContain(absent);

    // The same file again is refused, untouched; the printable form goes to another.
    writeFileSync(out, 'kept');
    const again = await runTsx(
      'ops/export-citizen.ts',
      commandLine('--user-from-stdin', '--out', out),
      `${citizen}\n`,
      env,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`--out: ${out} exists: it is never overwritten; give a new file`);
    expect(readFileSync(out, 'utf8')).toBe('kept');
    const printable = join(folder, 'copy.md');
    const markdown = await runTsx(
      'ops/export-citizen.ts',
      commandLine('--out', printable, '--format', 'markdown'),
      undefined,
      { ...env, EXPORT_USER_ID: String(citizen) },
    );
    expect(markdown.stderr).toBe('');
    expect(markdown.code).toBe(0);
    expect(statSync(printable).mode & 0o777).toBe(0o600);
    const document = readFileSync(printable, 'utf8');
    expect(document).toContain('# Сведения о ваших обращениях');
    expect(document).toContain(`## Обращение № ${ofDm?.caseNumber}`);
    expect(document).toContain('- Поступило: 12.01.2026, 09:00');
    expect(document).toContain('- Категория: Мусор и ТКО');
    expect(document).toContain('**12.01.2026, 12:00. Промежуточный ответ**');
    expect(document).toContain('> Мусор вывезли');
    expect(document).toContain(`Обращение хранится ${config.retention.closedInquiryDays} дн.`);
    expect(document).not.toContain('Анна Операторова');
  });

  it('copies a message of theirs never stored as an inquiry, and exits 3 naming a history entry it could not read', {
    timeout: CLI_TIMEOUT_MS,
  }, async () => {
    const citizen = 7_300_021;
    const dm = await directMessage(citizen, 'ex-dm-21', '2026-01-12T04:00:00.000Z', 'Не горит фонарь');
    // A router's try that stopped between the new inquiry's history and its item (the command's own ids).
    const eventKey = 'ex-unopened-21';
    const unopened = inquiryIdFor(DEMO_GROUP_ID, eventKey);
    const at = '2026-02-01T04:00:00.000Z';
    const put = (item: Record<string, unknown>) =>
      documents.send(new PutCommand({ TableName: aws.tableName, Item: item }));
    await put(
      toHistoryItem({
        inquiryId: unopened,
        key: historyKey(at, `vk:${eventKey}`, 1),
        at,
        kind: 'message',
        actor: 'citizen',
        actorId: citizen,
        detail: { eventKey, text: 'Сообщение, которое не сохранилось' },
      }),
    );
    // An entry of the inquiry edited out of shape by hand: its time is no time.
    await put({
      ...toHistoryItem({
        inquiryId: dm,
        key: historyKey('2026-01-12T05:00:00.000Z', 'hand', 1),
        at: '2026-01-12T05:00:00.000Z',
        kind: 'message',
        actor: 'citizen',
        actorId: citizen,
        detail: { text: 'Сломанная запись' },
      }),
      at: 'вчера',
    });

    const out = join(temporaryDirectory('citizen-export-'), 'copy.json');
    const run = await runTsx(
      'ops/export-citizen.ts',
      commandLine('--user-from-stdin', '--out', out),
      `${citizen}\n`,
      opsCommandEnvironment(aws),
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(
      `1 inquiries of the citizen in community ${DEMO_GROUP_ID}, and 1 messages of theirs never stored as an inquiry, written to ${out}`,
    );
    expect(run.stdout).toContain(
      `left out: a history entry of ${dm} at 2026-01-12T05:00:00.000Z (malformed: at)`,
    );
    expect(run.stderr).toContain('1 history entries left out (named above)');
    expect(`${run.stdout}${run.stderr}`).not.toContain(String(citizen));
    const copy = JSON.parse(readFileSync(out, 'utf8')) as CitizenCopy;
    expect(copy.inquiries.map(({ correspondence }) => correspondence.map(textOf))).toEqual([
      ['Не горит фонарь'],
    ]);
    expect(copy.unopenedMessages).toEqual([
      { at, from: 'citizen', kind: 'message', text: 'Сообщение, которое не сохранилось' },
    ]);
  });

  it('names an inquiry whose item is out of shape, copies the others, and exits 3', {
    timeout: CLI_TIMEOUT_MS,
  }, async () => {
    const citizen = 7_300_031;
    const broken = await directMessage(citizen, 'ex-dm-31', '2026-01-12T04:00:00.000Z', 'Не горит фонарь');
    await change(broken, '2026-01-12T05:00:00.000Z', {
      type: 'final_answer',
      cause: 'op:answer-31',
      at: '2026-01-12T05:00:00.000Z',
      text: 'Фонарь починили',
      via: 'console',
      ...OPERATOR,
    });
    const kept = await directMessage(citizen, 'ex-dm-32', '2026-02-12T04:00:00.000Z', 'Яма во дворе');
    // The first inquiry's item edited out of shape by hand: its status is none the product knows.
    const item = await repository.getInquiry(broken);
    if (!item) throw new Error(`no inquiry ${broken}`);
    await documents.send(
      new PutCommand({ TableName: aws.tableName, Item: { ...toInquiryItem(item), status: 'разобрано' } }),
    );

    const out = join(temporaryDirectory('citizen-export-'), 'copy.json');
    const run = await runTsx(
      'ops/export-citizen.ts',
      commandLine('--user-from-stdin', '--out', out),
      `${citizen}\n`,
      opsCommandEnvironment(aws),
    );
    expect(run.stderr).toContain('1 inquiries left out (named above)');
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`left out: the inquiry ${broken}, whole (malformed: status)`);
    expect(`${run.stdout}${run.stderr}`).not.toContain(String(citizen));
    const copy = JSON.parse(readFileSync(out, 'utf8')) as CitizenCopy;
    expect(copy.inquiries.map(({ correspondence }) => correspondence.map(textOf))).toEqual([
      ['Яма во дворе'],
    ]);
    expect(kept).not.toBe(broken);
  });

  it('stops on a mistake in the command line, exit 2, before it reads the table, never saying the id back', {
    timeout: CLI_TIMEOUT_MS,
  }, async () => {
    const env = opsCommandEnvironment(aws);
    const folder = temporaryDirectory('citizen-export-');
    const out = join(folder, 'copy.json');
    const id = '7300009';
    const [help, bare, onCommandLine, noOut, format, unconfigured, twoWays, twoLines, typo, folderMissing] =
      await Promise.all([
        runTsx('ops/export-citizen.ts', ['--help'], undefined, env),
        runTsx('ops/export-citizen.ts', [], undefined, env),
        runTsx('ops/export-citizen.ts', commandLine('--user', id, '--out', out), undefined, env),
        runTsx('ops/export-citizen.ts', commandLine('--user-from-stdin'), `${id}\n`, env),
        runTsx(
          'ops/export-citizen.ts',
          commandLine('--user-from-stdin', '--out', out, '--format', 'pdf'),
          `${id}\n`,
          env,
        ),
        runTsx(
          'ops/export-citizen.ts',
          [
            '--table',
            aws.tableName,
            '--config',
            TEST_CONFIG_FILE,
            '--community',
            '99',
            '--user-from-stdin',
            '--out',
            out,
          ],
          `${id}\n`,
          env,
        ),
        runTsx('ops/export-citizen.ts', commandLine('--user-from-stdin', '--out', out), `${id}\n`, {
          ...env,
          EXPORT_USER_ID: id,
        }),
        runTsx(
          'ops/export-citizen.ts',
          commandLine('--user-from-stdin', '--out', out),
          `${id}\n7300010\n`,
          env,
        ),
        runTsx('ops/export-citizen.ts', commandLine('--user-from-stdin', '--out', out), `${id}x\n`, env),
        runTsx(
          'ops/export-citizen.ts',
          commandLine('--user-from-stdin', '--out', join(folder, 'no', 'copy.json')),
          `${id}\n`,
          env,
        ),
      ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'npm run citizen:export -- --table <table name> --config <file> --community',
    );
    const refused = {
      bare,
      onCommandLine,
      noOut,
      format,
      unconfigured,
      twoWays,
      twoLines,
      typo,
      folderMissing,
    };
    for (const [name, run] of Object.entries(refused)) {
      expect(run.code, name).toBe(2);
      expect(run.stdout, name).toBe('');
      expect(`${run.stdout}${run.stderr}`, name).not.toContain(id);
    }
    expect(bare.stderr).toContain(
      "--table, --config, --community and --out are required, and the citizen's VK id: --user-from-stdin (recommended) or EXPORT_USER_ID",
    );
    expect(onCommandLine.stderr).toContain("--user: an id on the command line stays in npm's debug log");
    expect(noOut.stderr).toContain('--out are required');
    expect(format.stderr).toContain('--format must be json or markdown, not "pdf"');
    expect(unconfigured.stderr).toContain(`community 99 is not in ${TEST_CONFIG_FILE}: check the id`);
    expect(twoWays.stderr).toContain(
      "give the citizen's VK id one way only: --user-from-stdin or EXPORT_USER_ID",
    );
    expect(twoLines.stderr).toContain('stdin holds more than one line: one citizen a run');
    expect(typo.stderr).toContain(
      'line 1 of stdin is not a VK id (a positive whole number): nothing was done',
    );
    expect(folderMissing.stderr).toContain('does not exist or cannot be written to');
    // No file was made by any of them.
    expect(() => statSync(out)).toThrow();
  });
});
