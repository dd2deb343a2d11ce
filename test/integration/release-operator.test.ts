import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { Operator } from '../../lambdas/domain/operator/access.js';
import type { ApiRequest, OperatorApiDeps, UseCase } from '../../lambdas/operator-api/api.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { takeInquiry } from '../../lambdas/operator-api/use-cases/take-inquiry.js';
import { releaseOperator } from '../../ops/release-operator.js';
import { opsCommandEnvironment, startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { openInquiry } from '../support/inquiries.js';
import { listCriteria } from '../support/listed-inquiries.js';
import { operatorApiDepsOn } from '../support/operator-api.js';

/**
 * An operator who leaves, or is away for weeks, holding their department's work: one run hands it all back to
 * the department, as an admin's release of each would, against dynalite.
 */

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let deps: OperatorApiDeps;
const config = readConfigFile('config/local.json');
const anna: Operator = { id: 'sub-anna', name: 'Анна Иванова', admin: false, departments: ['housing'] };
const vera: Operator = { id: 'sub-vera', name: 'Вера Петрова', admin: false, departments: ['housing'] };

beforeAll(async () => {
  aws = await startTestAws();
  ({ documents: client, repository, deps } = operatorApiDepsOn(aws, config));
});
afterAll(() => aws?.stop());

/** A run of operators:release on the test table, with the local configuration unless told another. */
const releaseOn = (
  options: Omit<Parameters<typeof releaseOperator>[0], 'client' | 'tableName' | 'config'> & {
    config?: AppConfig;
  },
) => releaseOperator({ client, tableName: aws.tableName, config, ...options });

let requests = 0;
async function act<B>(useCase: UseCase<B>, operator: Operator, id: string, body: B): Promise<void> {
  const request: ApiRequest<B> = {
    operator,
    params: { id },
    query: {},
    body,
    idempotencyKey: `leaves-${++requests}`,
  };
  const answer = await useCase(request, deps);
  expect(answer.status, `${operator.id} ${JSON.stringify(answer.body)}`).toBe(200);
}

/** The housing department's open work no one has taken, as its operators' `assignee=none` list gives it. */
const toTake = async () =>
  (
    await deps.queries.listInquiries(
      ['housing'],
      listCriteria({ assignee: 'none', order: 'urgent', limit: '100' }),
      new Date(),
    )
  ).items.map((inquiry) => inquiry.id);

const openHousing = (peerId: number) =>
  openInquiry(
    { config, inquiries: repository },
    { peerId, eventKey: `leaves-${peerId}`, text: 'Не вывозят мусор', category: 'waste' },
  );

describe('releasing what an operator holds', () => {
  it('hands every inquiry they hold back to their department, keeping what was answered, a colleague’s left', async () => {
    // Sequential: dynalite has lost concurrent writes to one partition.
    const held: string[] = [];
    for (const peer of [8301, 8302, 8303, 8304, 8305]) {
      const id = await openHousing(peer);
      await act(takeInquiry, anna, id, {});
      held.push(id);
    }
    const [first, second, third, , answered] = held as [string, string, string, string, string];
    for (const id of [first, second])
      await act(intermediateAnswer, anna, id, { text: 'Передали в управляющую компанию' });
    await act(reply, anna, answered, { text: 'Контейнеры вывезли' });
    const veras = await openHousing(8306);
    await act(takeInquiry, vera, veras, {});
    const firstResponse = (await repository.getInquiry(first))?.firstRespondedAt;
    expect(firstResponse).toBeDefined();
    // Held by her, her open work is in nobody's list of work to take.
    expect(await toTake()).not.toContain(third);

    const look = await releaseOn({
      operatorId: anna.id,
      reason: 'Анна Иванова уволилась',
      dryRun: true,
    });
    expect(look).toEqual({
      found: { in_progress: 4, answered: 1 },
      released: 0,
      pastReopening: 0,
      refused: [],
    });
    expect((await repository.getInquiry(third))?.assignee?.id).toBe(anna.id);

    const run = await releaseOn({
      operatorId: anna.id,
      reason: 'Анна Иванова уволилась',
    });
    expect(run).toEqual({
      found: { in_progress: 4, answered: 1 },
      released: 5,
      pastReopening: 0,
      refused: [],
    });
    for (const id of held) {
      const stored = await repository.get(id);
      expect(stored?.inquiry.assignee, id).toBeUndefined();
      expect(stored?.history.at(-1)).toEqual(
        expect.objectContaining({
          kind: 'status',
          actorId: 'ops:operators-release',
          actorName: 'npm run operators:release',
          reason: 'Анна Иванова уволилась',
          detail: { fromAssignee: { id: anna.id, name: anna.name } },
        }),
      );
    }
    // Its status, its first response and its answer are kept: the statistics count them as before.
    const intermediate = await repository.getInquiry(first);
    expect(intermediate?.status).toBe('in_progress');
    expect(intermediate?.firstRespondedAt).toBe(firstResponse);
    expect((await repository.getInquiry(answered))?.status).toBe('answered');
    expect((await repository.getInquiry(veras))?.assignee?.id).toBe(vera.id);
    expect((await toTake()).sort()).toEqual(held.filter((id) => id !== answered).sort());
    // The citizen writes again about the one she answered: reopened for anyone to take, not in her name.
    const followUp = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8305, eventKey: 'leaves-8305-again', text: 'Контейнеры снова не вывезли', category: 'waste' },
    );
    expect(followUp).toBe(answered);
    const reopened = await repository.getInquiry(answered);
    expect(reopened?.status).toBe('reopened');
    expect(reopened?.assignee).toBeUndefined();
    expect(await toTake()).toContain(answered);
    // A colleague gives the final answer to one she answered in the meantime: no force, nothing in the way.
    await act(reply, vera, first, { text: 'Контейнеры вывезли' });
    expect((await repository.getInquiry(first))?.status).toBe('answered');

    const again = await releaseOn({
      operatorId: anna.id,
      reason: 'Анна Иванова уволилась',
    });
    expect(again).toEqual({ found: {}, released: 0, pastReopening: 0, refused: [] });
  });

  it('leaves one a colleague took over after the run listed it, and names it', async () => {
    const id = await openHousing(8311);
    await act(takeInquiry, anna, id, {});
    // The colleague takes it over between the run's list and its release: after the run's first read.
    let tookOver = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (!tookOver && context.commandName === 'QueryCommand') {
          tookOver = true;
          await act(takeInquiry, vera, id, { force: true });
        }
        return output;
      },
      { name: 'colleagueTakesOver', step: 'initialize' },
    );
    try {
      const run = await releaseOn({
        operatorId: anna.id,
        reason: 'Анна Иванова в отпуске',
      });
      expect(run).toEqual({
        found: { in_progress: 1 },
        released: 0,
        pastReopening: 0,
        refused: [{ id, reason: `taken by ${vera.name} since it was listed: left theirs` }],
      });
    } finally {
      client.middlewareStack.remove('colleagueTakesOver');
    }
    expect((await repository.getInquiry(id))?.assignee?.id).toBe(vera.id);
  });

  it('releases one changed between its read and its write, read again', async () => {
    const id = await openHousing(8361);
    await act(takeInquiry, anna, id, {});
    // Her last words go between the release's read of the inquiry and its write: its version moves on.
    let listed = false;
    let changed = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (context.commandName === 'QueryCommand') listed = true;
        else if (listed && !changed && context.commandName === 'GetItemCommand') {
          changed = true;
          await act(intermediateAnswer, anna, id, { text: 'Передали в управляющую компанию' });
        }
        return output;
      },
      { name: 'writtenMeanwhile', step: 'initialize' },
    );
    try {
      const run = await releaseOn({
        operatorId: anna.id,
        reason: 'Анна Иванова уволилась',
        departments: ['housing'],
      });
      expect(changed).toBe(true);
      expect(run).toMatchObject({ released: 1, refused: [] });
    } finally {
      client.middlewareStack.remove('writtenMeanwhile');
    }
    const stored = await repository.getInquiry(id);
    expect(stored?.assignee).toBeUndefined();
    expect(stored?.firstRespondedAt).toBeDefined();
  });

  it('releases only what they hold in the departments given, for an operator moved to another', async () => {
    const both: Operator = { ...anna, id: 'sub-anna-moved', departments: ['housing', 'roads'] };
    const housing = await openHousing(8331);
    const roads = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8332, eventKey: 'leaves-8332', text: 'Яма на дороге у дома 5', category: 'roads' },
    );
    for (const id of [housing, roads]) await act(takeInquiry, both, id, {});
    const run = await releaseOn({
      operatorId: both.id,
      reason: 'перешла в отдел дорог',
      departments: ['housing'],
    });
    expect(run).toEqual({ found: { in_progress: 1 }, released: 1, pastReopening: 0, refused: [] });
    expect((await repository.getInquiry(housing))?.assignee).toBeUndefined();
    expect((await repository.getInquiry(roads))?.assignee?.id).toBe(both.id);
  });

  it('leaves theirs what they answered longer ago than a citizen’s word can reopen it', async () => {
    const leaver: Operator = { ...anna, id: 'sub-anna-long-ago' };
    const answeredLongAgo = await openHousing(8341);
    const open = await openHousing(8342);
    for (const id of [answeredLongAgo, open]) await act(takeInquiry, leaver, id, {});
    await act(reply, leaver, answeredLongAgo, { text: 'Контейнеры вывезли' });
    const windowHours = config.threading.reopenClosedWithinHours;
    const later = (hours: number) => ({ now: () => new Date(Date.now() + hours * 3_600_000) });
    const run = (hours: number, dryRun = false) =>
      releaseOn({
        operatorId: leaver.id,
        reason: 'уволилась',
        clock: later(hours),
        dryRun,
      });
    // Past the window, the citizen's next word opens a new inquiry: the answered one stays its answerer's.
    expect(await run(windowHours + 1, true)).toEqual({
      found: { in_progress: 1, answered: 1 },
      released: 0,
      pastReopening: 1,
      refused: [],
    });
    expect(await run(windowHours + 1)).toEqual({
      found: { in_progress: 1, answered: 1 },
      released: 1,
      pastReopening: 1,
      refused: [],
    });
    expect((await repository.getInquiry(open))?.assignee).toBeUndefined();
    const answered = await repository.get(answeredLongAgo);
    expect(answered?.inquiry.assignee?.id).toBe(leaver.id);
    expect(answered?.history.some((entry) => entry.actorId === 'ops:operators-release')).toBe(false);
    // Within the window it is released as the others are.
    expect(await run(windowHours - 1)).toEqual({
      found: { answered: 1 },
      released: 1,
      pastReopening: 0,
      refused: [],
    });
    expect((await repository.getInquiry(answeredLongAgo))?.assignee).toBeUndefined();
  });

  it('leaves theirs what they answered for a community no longer configured, which no citizen’s word reopens', async () => {
    const leaver: Operator = { ...anna, id: 'sub-anna-removed-community' };
    const answered = await openHousing(8351);
    const open = await openHousing(8352);
    for (const id of [answered, open]) await act(takeInquiry, leaver, id, {});
    await act(reply, leaver, answered, { text: 'Контейнеры вывезли' });
    // The community taken out of the configuration, its departments kept (docs/runbook.md, "Removing a community").
    const withoutIt = { ...config, communities: [] };
    const run = await releaseOn({
      config: withoutIt,
      operatorId: leaver.id,
      reason: 'уволилась',
    });
    // An open one no change can end now is named: the run exits 3.
    expect(run).toEqual({
      found: { in_progress: 1, answered: 1 },
      released: 0,
      pastReopening: 1,
      refused: [{ id: open, reason: "the inquiry's community 123456789 is no longer configured" }],
    });
    for (const id of [answered, open])
      expect((await repository.getInquiry(id))?.assignee?.id).toBe(leaver.id);
  });

  it('runs as npm run operators:release, a dry run unless told --yes', async () => {
    const env = opsCommandEnvironment(aws);
    const id = await openHousing(8321);
    await act(takeInquiry, anna, id, {});
    const bare = await runTsx('ops/release-operator.ts', [], undefined, env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--table, --config, --operator and --reason are required');
    const configured = ['--table', aws.tableName, '--config', 'config/local.json', '--operator', anna.id];
    const look = await runTsx(
      'ops/release-operator.ts',
      [...configured, '--reason', 'уволилась'],
      undefined,
      env,
    );
    expect(look.stderr).toBe('');
    expect(look.code).toBe(0);
    expect(look.stdout).toContain(`1 inquiries held by ${anna.id}: {"in_progress":1}`);
    expect(look.stdout).toContain('released: none (a dry run: run it again with --yes to release them)');
    expect((await repository.getInquiry(id))?.assignee?.id).toBe(anna.id);
    const email = await runTsx(
      'ops/release-operator.ts',
      [...configured.slice(0, -1), 'anna@example.org', '--reason', 'уволилась'],
      undefined,
      env,
    );
    expect(email.code).toBe(2);
    expect(email.stderr).toContain('--operator anna@example.org is an e-mail: give their sub');
    const unknown = await runTsx(
      'ops/release-operator.ts',
      [...configured, '--reason', 'уволилась', '--department', 'housng'],
      undefined,
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--department housng is not a department of config/local.json');
    const blank = await runTsx(
      'ops/release-operator.ts',
      [...configured, '--reason', ' ', '--yes'],
      undefined,
      env,
    );
    expect(blank.code).toBe(2);
    const run = await runTsx(
      'ops/release-operator.ts',
      [...configured, '--reason', 'уволилась', '--yes'],
      undefined,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('released: 1');
    expect((await repository.getInquiry(id))?.assignee).toBeUndefined();
    // Six runs of the command, each a process of its own compiling the script: 12 s on a quiet 2-core machine,
    // 20 s and more on a busy one. The time is no target here: the timeout only ends a run that hangs.
  }, 120_000);
});
