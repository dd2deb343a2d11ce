import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAnswerTemplates } from '../../lambdas/adapters/answer-templates.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { communityOf } from '../../lambdas/domain/config/community-of.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import { applyEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import { TEMPLATES_PER_DEPARTMENT } from '../../lambdas/domain/operator/answer-templates.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { LEFT_BEHIND, moveDepartment } from '../../ops/move-department.js';
import { opsCommandEnvironment, startTestAws, type TestAws } from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { localConfigWithout } from '../support/config-without.js';
import { classifiedDirectMessage, openInquiry } from '../support/inquiries.js';
import { listCriteria } from '../support/listed-inquiries.js';
import { answeredByOperator } from '../support/operator-answer.js';
import { temporaryFile } from '../support/temp-dir.js';

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');
const OTHER_GROUP_ID = 222333444;
/**
 * The local configuration once its demo community is removed, another one left (its own parameters), and
 * the departments kept: the demo's inquiries are of a community no longer configured.
 */
const withoutDemoFile = (() => {
  const raw = JSON.parse(readFileSync('config/local.json', 'utf8'));
  const demo = raw.communities[0];
  const other = JSON.parse(JSON.stringify(demo).replaceAll(`/${demo.groupId}/`, `/${OTHER_GROUP_ID}/`));
  return { ...raw, communities: [{ ...other, groupId: OTHER_GROUP_ID }] };
})();
const withoutDemo = parseAppConfig(withoutDemoFile, 'without-demo');

const openRoadsInquiry = (peerId: number) =>
  openInquiry(
    { config, inquiries: repository },
    { peerId, eventKey: `pothole-${peerId}`, text: 'Яма на дороге у дома 5', category: 'roads' },
  );

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(client, aws.tableName);
});
afterAll(() => aws?.stop());

describe('moving a department', () => {
  it("hands every inquiry of the old department to the new one, with the reason in each one's history", async () => {
    const ids: string[] = [];
    // Sequential: dynalite has lost concurrent writes to one partition.
    for (const peer of [8101, 8102, 8103]) ids.push(await openRoadsInquiry(peer));
    expect((await repository.getInquiry(ids[0] ?? ''))?.department).toBe('roads');

    const dryRun = await moveDepartment({
      client,
      tableName: aws.tableName,
      config,
      from: 'roads',
      to: 'housing',
      dryRun: true,
    });
    expect(dryRun).toEqual({ found: { routed: 3 }, moved: 0, refused: [] });
    expect((await repository.getInquiry(ids[0] ?? ''))?.department).toBe('roads');

    const moved = await moveDepartment({
      client,
      tableName: aws.tableName,
      config,
      from: 'roads',
      to: 'housing',
    });
    expect(moved).toEqual({ found: { routed: 3 }, moved: 3, refused: [] });
    for (const id of ids) {
      const stored = await repository.get(id);
      expect(stored?.inquiry.department).toBe('housing');
      expect(stored?.history.filter((entry) => entry.kind === 'moved')).toEqual([
        expect.objectContaining({
          actorId: 'ops:departments-move',
          actorName: 'npm run departments:move',
          reason: 'department roads is now housing',
        }),
      ]);
    }
    const queries = new DynamoOperatorQueries(client, aws.tableName);
    const list = (department: string) =>
      queries.listInquiries([department], listCriteria({ limit: '100' }), new Date());
    expect((await list('roads')).items).toEqual([]);
    expect((await list('housing')).items.map((inquiry) => inquiry.id).sort()).toEqual([...ids].sort());

    const again = await moveDepartment({
      client,
      tableName: aws.tableName,
      config,
      from: 'roads',
      to: 'housing',
    });
    expect(again).toEqual({ found: {}, moved: 0, refused: [] });
  });

  it("leaves the inquiries it moves to the new department's operators to take", async () => {
    const calendar = config.communities[0]?.calendar;
    if (!calendar) throw new Error('no calendar');
    const id = await openRoadsInquiry(8107);
    const stored = await repository.get(id);
    if (!stored) throw new Error('not stored');
    const roadsOperator = { id: 'sub-roads', name: 'Оператор дорог' };
    const taken = applyEvent(
      stored.inquiry,
      {
        type: 'take',
        cause: 'op:take-8107',
        at: new Date().toISOString(),
        operatorId: roadsOperator.id,
        operatorName: roadsOperator.name,
      },
      { now: new Date(), calendar, warnAtFraction: 0.8 },
    );
    if (taken.outcome !== 'changed') throw new Error(taken.outcome);
    await repository.update(taken.inquiry, stored.inquiry.version, taken.history);

    expect(
      await moveDepartment({ client, tableName: aws.tableName, config, from: 'roads', to: 'housing' }),
    ).toMatchObject({ moved: 1, refused: [] });
    const moved = await repository.get(id);
    expect(moved?.inquiry).toMatchObject({ status: 'in_progress', department: 'housing' });
    expect(moved?.inquiry.assignee).toBeUndefined();
    expect(moved?.history.at(-1)).toMatchObject({
      kind: 'moved',
      actorId: 'ops:departments-move',
      actorName: 'npm run departments:move',
      detail: { fromAssignee: roadsOperator },
    });
    const queries = new DynamoOperatorQueries(client, aws.tableName);
    const untaken = await queries.listInquiries(
      ['housing'],
      listCriteria({ assignee: 'none', limit: '100' }),
      new Date(),
    );
    expect(untaken.items.map((inquiry) => inquiry.id)).toContain(id);
  });

  it('refuses a department the configuration does not name, moving nothing', async () => {
    const id = await openRoadsInquiry(8104);
    await expect(
      moveDepartment({ client, tableName: aws.tableName, config, from: 'roads', to: 'road-works' }),
    ).rejects.toThrow(/department "road-works" is not in the configuration/);
    expect((await repository.getInquiry(id))?.department).toBe('roads');
  });

  it('lists the rejected messages of a triage department under the new one, still rejected, in no open work', async () => {
    const thanks = await openInquiry(
      { config, inquiries: repository },
      {
        peerId: 8105,
        eventKey: 'thanks-8105',
        text: 'Спасибо большое!',
        category: 'other',
        notAnInquiry: true,
      },
    );
    const unsure = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8106, eventKey: 'clinic-8106', text: 'Когда откроют поликлинику?', category: 'health' },
    );
    expect(await repository.getInquiry(thanks)).toMatchObject({ status: 'rejected', department: 'triage' });
    expect(await repository.getInquiry(unsure)).toMatchObject({ status: 'routed', department: 'triage' });

    const moved = await moveDepartment({
      client,
      tableName: aws.tableName,
      config,
      from: 'triage',
      to: 'housing',
    });
    expect(moved).toEqual({ found: { rejected: 1, routed: 1 }, moved: 2, refused: [] });
    const stored = await repository.get(thanks);
    expect(stored?.inquiry).toMatchObject({ status: 'rejected', department: 'housing', clockCount: 0 });
    expect(stored?.inquiry.clock).toBeUndefined();
    expect(stored?.history.at(-1)).toMatchObject({ kind: 'moved', detail: { toDepartment: 'housing' } });
    const queries = new DynamoOperatorQueries(client, aws.tableName);
    const list = (query: Record<string, string>) =>
      queries.listInquiries(['housing'], listCriteria({ limit: '100', ...query }), new Date());
    expect((await list({ status: 'rejected' })).items.map((inquiry) => inquiry.id)).toEqual([thanks]);
    expect((await list({ order: 'urgent' })).items.map((inquiry) => inquiry.id)).not.toContain(thanks);
  });

  it('runs as npm run departments:move, and says what it needs when called without it', async () => {
    const env = opsCommandEnvironment(aws);
    const help = await runTsx('ops/move-department.ts', ['--help'], undefined, env);
    expect(help.code).toBe(0);
    // The region is the configuration's, whatever the profile's or AWS_REGION's (as the runbook says).
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      "It works in the configuration's region (the stacks'), whatever the AWS profile's",
    );
    expect(help.stdout).not.toContain('Set AWS_REGION');
    expect(help.stdout).toContain(
      'npm run departments:move -- --table <table name> --config <file> --from <old id> --to <new id>',
    );
    expect(help.stdout).not.toContain('default config/local.json');
    // A mistake in the command line exits 2, as in the other ops commands.
    const bare = await runTsx('ops/move-department.ts', [], undefined, env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--table, --config, --from and --to are required');
    // Without --config it moves nothing: the local demo's configuration is no stand-in for the one deployed.
    const id = await openRoadsInquiry(8108);
    const unconfigured = await runTsx(
      'ops/move-department.ts',
      ['--table', aws.tableName, '--from', 'roads', '--to', 'housing'],
      undefined,
      env,
    );
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toContain('--table, --config, --from and --to are required');
    expect(unconfigured.stdout).toBe('');
    expect((await repository.getInquiry(id))?.department).toBe('roads');
  });

  // Each run of the command starts tsx anew (seconds each on a busy machine): this test and the one before share
  // them out, each within its timeout.
  it('refuses a command line that does not fit the configuration, looks without --yes, and moves with it', async () => {
    const env = opsCommandEnvironment(aws);
    const id = await openRoadsInquiry(8109);
    const configured = ['--table', aws.tableName, '--config', 'config/local.json'];
    const same = await runTsx(
      'ops/move-department.ts',
      [...configured, '--from', 'roads', '--to', 'roads'],
      undefined,
      env,
    );
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--from and --to name the same department');
    const mistyped = await runTsx(
      'ops/move-department.ts',
      [...configured, '--from', 'roads', '--to', 'housing', '--dryrun'],
      undefined,
      env,
    );
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toMatch(/Unknown option '--dryrun'/);
    expect(mistyped.stdout).toBe('');
    // Without --yes it only looks, as --dry-run does: a mistyped --from hands nothing on.
    const look = await runTsx(
      'ops/move-department.ts',
      [...configured, '--from', 'roads', '--to', 'housing'],
      undefined,
      env,
    );
    expect(look.stderr).toBe('');
    expect(look.code).toBe(0);
    expect(look.stdout).toMatch(/[1-9]\d* inquiries of roads: \{"routed":[1-9]/);
    expect(look.stdout).toContain('moved: none (a dry run: run it again with --yes to move them)');
    expect((await repository.getInquiry(id))?.department).toBe('roads');
    const both = await runTsx(
      'ops/move-department.ts',
      [...configured, '--from', 'roads', '--to', 'housing', '--yes', '--dry-run'],
      undefined,
      env,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--yes moves, --dry-run does not: give one of them');
    expect((await repository.getInquiry(id))?.department).toBe('roads');
    const run = await runTsx(
      'ops/move-department.ts',
      [...configured, '--from', 'roads', '--to', 'housing', '--yes'],
      undefined,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/moved to housing: [1-9]/);
    expect((await repository.getInquiry(id))?.department).toBe('housing');
  });

  it('takes a --from that no department of --config is, and under which nothing is, for a mistake', async () => {
    const env = opsCommandEnvironment(aws);
    const id = await openRoadsInquiry(8131);
    const configured = ['--table', aws.tableName, '--config', 'config/local.json'];
    for (const confirm of [['--dry-run'], [], ['--yes']]) {
      const mistyped = await runTsx(
        'ops/move-department.ts',
        [...configured, '--from', 'roadz', '--to', 'housing', ...confirm],
        undefined,
        env,
      );
      expect(mistyped.code).toBe(2);
      expect(mistyped.stderr).toContain(
        'roadz is not a department of config/local.json, and no inquiry is under it: check the id',
      );
      expect(mistyped.stdout).not.toContain('0 inquiries');
    }
    // A department configured and empty is one: 0 inquiries, exit 0, the signal that it may go.
    await moveDepartment({ client, tableName: aws.tableName, config, from: 'roads', to: 'housing' });
    expect((await repository.getInquiry(id))?.department).toBe('housing');
    const emptied = await runTsx(
      'ops/move-department.ts',
      [...configured, '--from', 'roads', '--to', 'housing', '--dry-run'],
      undefined,
      env,
    );
    expect(emptied.stderr).toBe('');
    expect(emptied.code).toBe(0);
    expect(emptied.stdout).toContain('0 inquiries of roads: {}');
  });

  it('moves an inquiry moved back since, when the same departments are moved again', async () => {
    const id = await openRoadsInquiry(8132);
    const move = (from: string, to: string) =>
      moveDepartment({ client, tableName: aws.tableName, config, from, to });
    expect(await move('roads', 'housing')).toMatchObject({ refused: [] });
    // Moved back (a move undone, a rename reverted), then over again: each move is one of its own.
    expect(await move('housing', 'roads')).toMatchObject({ refused: [] });
    expect((await repository.getInquiry(id))?.department).toBe('roads');
    const again = await move('roads', 'housing');
    expect((await repository.getInquiry(id))?.department).toBe('housing');
    const found = Object.values(again.found).reduce((sum, count) => sum + count, 0);
    expect(again).toMatchObject({ moved: found, refused: [] });
    expect(await move('roads', 'housing')).toEqual({ found: {}, moved: 0, refused: [] });
    const history = (await repository.get(id))?.history.filter((entry) => entry.kind === 'moved');
    expect(history?.map((entry) => entry.detail)).toEqual([
      expect.objectContaining({ fromDepartment: 'roads', toDepartment: 'housing' }),
      expect.objectContaining({ fromDepartment: 'housing', toDepartment: 'roads' }),
      expect.objectContaining({ fromDepartment: 'roads', toDepartment: 'housing' }),
    ]);
  });
  it('moves the open inquiries first, however many older finished ones the department has', async () => {
    const calendar = config.communities[0]?.calendar;
    if (!calendar) throw new Error('no calendar');
    // Answered long ago, each before any open one was opened: listed first by opening time.
    const finished: string[] = [];
    for (const [index, peer] of [8111, 8112, 8113, 8114].entries()) {
      const at = new Date(Date.UTC(2026, 0, 12 + index, 6)).toISOString();
      const router = createMessageRouter({
        config,
        inquiries: repository,
        clock: { now: () => new Date(at) },
        inquiryIdFor: (_groupId, key) => `old-${key}`,
      });
      const { inquiryId } = await router.routeCitizenMessage(
        classifiedDirectMessage({
          peerId: peer,
          eventKey: `old-${peer}`,
          at,
          text: 'Яма на дороге',
          category: 'roads',
        }),
      );
      const inquiry = await repository.getInquiry(inquiryId);
      if (!inquiry) throw new Error('not stored');
      await answeredByOperator(repository, inquiry, {
        cause: `op:answer-${peer}`,
        at,
        operatorId: 'op',
        text: 'Яму заделали',
        calendar,
      });
      finished.push(inquiryId);
    }
    const open: string[] = [];
    for (const peer of [8115, 8116, 8117]) open.push(await openRoadsInquiry(peer));

    // Each move reads the clock once, a second later than the one before: the history tells their order.
    let tick = Date.UTC(2026, 11, 1);
    const clock = {
      now: () => {
        tick += 1000;
        return new Date(tick);
      },
    };
    const printed: { stage: string; moved: number }[] = [];
    const moved = await moveDepartment({
      client,
      tableName: aws.tableName,
      config,
      from: 'roads',
      to: 'housing',
      clock,
      onProgress: ({ stage, moved }) => void printed.push({ stage, moved }),
    });
    expect(moved).toEqual({ found: { answered: 4, routed: 3 }, moved: 7, refused: [] });

    const movedAt = async (id: string) => {
      const entry = (await repository.get(id))?.history.find((each) => each.kind === 'moved');
      if (!entry) throw new Error(`${id} not moved`);
      return Date.parse(entry.at);
    };
    const openAt = await Promise.all(open.map(movedAt));
    const finishedAt = await Promise.all(finished.map(movedAt));
    expect(Math.max(...openAt)).toBeLessThan(Math.min(...finishedAt));
    // What the command prints: the open ones done, then how far it got with the rest.
    expect(printed[0]).toEqual({ stage: 'open', moved: 3 });
    expect(printed.at(-1)).toEqual({ stage: 'rest', moved: 7 });
    for (const id of [...open, ...finished])
      expect((await repository.getInquiry(id))?.department).toBe('housing');
  });
  it('moves the finished inquiries of a community no longer configured, and names its open ones as not moved', async () => {
    const calendar = config.communities[0]?.calendar;
    if (!calendar) throw new Error('no calendar');
    const answered = await openRoadsInquiry(8121);
    const stored = await repository.getInquiry(answered);
    if (!stored) throw new Error('not stored');
    const at = new Date().toISOString();
    await answeredByOperator(repository, stored, {
      cause: 'op:answer-8121',
      at,
      operatorId: 'op',
      text: 'Яму заделали',
      calendar,
    });
    const open = await openRoadsInquiry(8122);
    const before = await repository.get(answered);

    // Looked at first: the dry run names the open one, with the reason the move gives.
    const notConfigured = `the inquiry's community ${stored.groupId} is no longer configured`;
    const dryRun = await moveDepartment({
      client,
      tableName: aws.tableName,
      config: withoutDemo,
      from: 'roads',
      to: 'housing',
      dryRun: true,
    });
    expect(dryRun).toEqual({
      found: { answered: 1, routed: 1 },
      moved: 0,
      refused: [{ id: open, reason: notConfigured }],
    });

    const moved = await moveDepartment({
      client,
      tableName: aws.tableName,
      config: withoutDemo,
      from: 'roads',
      to: 'housing',
    });
    expect(moved).toEqual({
      found: { answered: 1, routed: 1 },
      moved: 1,
      refused: [{ id: open, reason: notConfigured }],
    });
    const after = await repository.get(answered);
    // Only its department and the history change (and who has had it, as the history tells): no clock, no
    // notice, nothing to the citizen.
    const version = (before?.inquiry.version ?? 0) + 1;
    expect(after?.inquiry).toEqual({
      ...before?.inquiry,
      department: 'housing',
      version,
      updatedAt: expect.any(String),
      causes: expect.any(Array),
      operatorActedAt: expect.any(String),
      pastHolders: {
        departments: [...(before?.inquiry.pastHolders?.departments ?? []), 'housing'],
        operators: [...(before?.inquiry.pastHolders?.operators ?? []), 'ops:departments-move'],
        version,
      },
    });
    expect(after?.history.slice(0, -1)).toEqual(before?.history);
    expect(after?.history.at(-1)).toMatchObject({
      kind: 'moved',
      actorId: 'ops:departments-move',
      detail: { fromDepartment: 'roads', toDepartment: 'housing' },
    });
    expect((await repository.getInquiry(open))?.department).toBe('roads');

    // With the demo configured again, the open one moves as any other.
    expect(
      await moveDepartment({ client, tableName: aws.tableName, config, from: 'roads', to: 'housing' }),
    ).toMatchObject({ moved: 1, refused: [] });
  });

  it('exits non-zero when it left inquiries behind, and its dry run names them and why', async () => {
    const env = opsCommandEnvironment(aws);
    const open = await openRoadsInquiry(8123);
    const group = config.communities[0]?.groupId;
    const file = temporaryFile('move-department-', 'without-demo.json', JSON.stringify(withoutDemoFile));
    const args = ['--table', aws.tableName, '--config', file, '--from', 'roads', '--to', 'housing'];

    const dry = await runTsx('ops/move-department.ts', [...args, '--dry-run'], undefined, env);
    expect(dry.code).toBe(LEFT_BEHIND);
    expect(dry.stdout).toContain('1 inquiries of roads: {"routed":1}');
    expect(dry.stdout).toContain(
      `would not be moved: ${open} (the inquiry's community ${group} is no longer configured)`,
    );
    expect(dry.stdout).toContain(
      `would not be moved: 1 {"the inquiry's community ${group} is no longer configured":1}`,
    );
    expect(dry.stderr).toContain('1 inquiries of roads would stay there');

    const run = await runTsx('ops/move-department.ts', [...args, '--yes'], undefined, env);
    expect(run.code).toBe(LEFT_BEHIND);
    expect(run.stdout).toContain('moved to housing: 0');
    expect(run.stdout).toContain(
      `not moved: ${open} (the inquiry's community ${group} is no longer configured)`,
    );
    expect(run.stderr).toContain('1 inquiries of roads stay there');
    expect((await repository.getInquiry(open))?.department).toBe('roads');

    const configured = await runTsx(
      'ops/move-department.ts',
      [
        '--table',
        aws.tableName,
        '--config',
        'config/local.json',
        '--from',
        'roads',
        '--to',
        'housing',
        '--yes',
      ],
      undefined,
      env,
    );
    expect(configured.code).toBe(0);
    expect((await repository.getInquiry(open))?.department).toBe('housing');
  });
  it('moves only the categories or communities given, for a department split in two, and counts the rest', async () => {
    const open = (peerId: number, category: 'housing' | 'waste') =>
      openInquiry(
        { config, inquiries: repository },
        { peerId, eventKey: `split-${peerId}`, text: 'Во дворе не вывозят мусор', category },
      );
    const waste = [await open(8141, 'waste'), await open(8142, 'waste')];
    const housing = await open(8143, 'housing');
    const group = config.communities[0]?.groupId;
    for (const id of [...waste, housing])
      expect((await repository.getInquiry(id))?.department).toBe('housing');
    const split = (only: Parameters<typeof moveDepartment>[0]['only'], dryRun = false) =>
      moveDepartment({
        client,
        tableName: aws.tableName,
        config,
        from: 'housing',
        to: 'roads',
        only,
        dryRun,
      });

    // Another community's inquiries only: none here, every one passed over and left.
    const otherCommunity = await split({ communities: [OTHER_GROUP_ID] });
    expect(otherCommunity).toMatchObject({ found: {}, moved: 0, refused: [] });
    expect(otherCommunity.passedOver).toBeGreaterThanOrEqual(3);
    const look = await split({ categories: ['waste'] }, true);
    expect(look).toMatchObject({ found: { routed: 2 }, moved: 0, refused: [] });
    expect((await repository.getInquiry(waste[0] ?? ''))?.department).toBe('housing');

    const moved = await split({ categories: ['waste'], communities: [group ?? 0] });
    expect(moved).toMatchObject({ found: { routed: 2 }, moved: 2, refused: [] });
    expect(moved.passedOver).toBe(look.passedOver);
    for (const id of waste) {
      const stored = await repository.get(id);
      expect(stored?.inquiry.department).toBe('roads');
      expect(stored?.history.filter((entry) => entry.kind === 'moved')).toEqual([
        expect.objectContaining({
          actorId: 'ops:departments-move',
          reason: `department housing is now roads for category waste and community ${group}`,
          detail: expect.objectContaining({ fromDepartment: 'housing', toDepartment: 'roads' }),
        }),
      ]);
    }
    expect((await repository.getInquiry(housing))?.department).toBe('housing');
    expect(await split({ categories: ['waste'] })).toMatchObject({ found: {}, moved: 0 });
  });

  it('takes --category and --community, refusing a category or group id that is none', async () => {
    const env = opsCommandEnvironment(aws);
    const waste = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8151, eventKey: 'split-8151', text: 'Во дворе не вывозят мусор', category: 'waste' },
    );
    const args = [
      '--table',
      aws.tableName,
      '--config',
      'config/local.json',
      '--from',
      'housing',
      '--to',
      'roads',
    ];
    const help = await runTsx('ops/move-department.ts', ['--help'], undefined, env);
    expect(help.stdout).toContain('[--category <code>]… [--community <group id>]…');
    for (const [option, value, message] of [
      ['--category', 'wastes', '--category wastes is no category: one of housing, roads'],
      ['--community', 'club', '--community club is no group id (a positive number)'],
    ] as const) {
      const wrong = await runTsx('ops/move-department.ts', [...args, option, value, '--yes'], undefined, env);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(message);
      expect(wrong.stdout).toBe('');
    }
    const look = await runTsx('ops/move-department.ts', [...args, '--category', 'waste'], undefined, env);
    expect(look.stderr).toBe('');
    expect(look.code).toBe(0);
    expect(look.stdout).toContain('1 inquiries of housing of category waste: {"routed":1}');
    expect(look.stdout).toMatch(/left in housing, not of category waste: [1-9]/);
    expect((await repository.getInquiry(waste))?.department).toBe('housing');
    const run = await runTsx(
      'ops/move-department.ts',
      [...args, '--category', 'waste', '--category', 'ecology', '--yes'],
      undefined,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('moved to roads: 1');
    expect((await repository.getInquiry(waste))?.department).toBe('roads');
  });
});

describe('moving a department while its inquiries move otherwise', () => {
  /**
   * A client that, once the move has read the first page of the old department's open work, lets `meanwhile`
   * change those inquiries before it moves them: the escalator's hand-over to triage, an operator's move.
   */
  const listingThen = (meanwhile: () => Promise<void>): DynamoDBDocumentClient => {
    let done = false;
    return {
      send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        const output = await client.send(command as never);
        if (!done && command instanceof QueryCommand) {
          done = true;
          await meanwhile();
        }
        return output;
      },
    } as unknown as DynamoDBDocumentClient;
  };

  it('leaves in triage those the escalator handed there since it listed them, and names them', async () => {
    const first = await openRoadsInquiry(8601);
    const second = await openRoadsInquiry(8602);
    const movedBack = await openRoadsInquiry(8603);
    const withoutRoads = localConfigWithout('roads');
    const moved = await moveDepartment({
      client: listingThen(async () => {
        // The escalator of a configuration deployed without roads hands its open work to triage, where a
        // duty officer may take it, or route it; the last an admin moved back to roads by hand.
        await createEscalator({
          config: withoutRoads,
          inquiries: repository,
          clock: { now: () => new Date() },
          notifier: recordingNotifier(),
        })();
        const inquiry = await repository.getInquiry(movedBack);
        if (inquiry?.department !== 'triage') throw new Error('not handed to triage');
        const result = applyEvent(
          inquiry,
          {
            type: 'move',
            cause: 'moved-back-by-hand',
            at: new Date().toISOString(),
            reason: 'by hand',
            operatorId: 'sub-head',
            operatorName: 'Ольга Сидорова',
            department: 'roads',
          },
          { now: new Date() },
        );
        if (result.outcome !== 'changed') throw new Error(result.outcome);
        await repository.update(result.inquiry, inquiry.version, result.history);
      }),
      tableName: aws.tableName,
      config,
      from: 'roads',
      to: 'housing',
    });
    for (const id of [first, second]) {
      expect((await repository.getInquiry(id))?.department, id).toBe('triage');
      const moves = (await repository.get(id))?.history.filter((entry) => entry.kind === 'moved');
      expect(moves, id).toHaveLength(1);
    }
    // Under roads again, though changed since the listing: moved.
    expect((await repository.getInquiry(movedBack))?.department).toBe('housing');
    // (With the open roads inquiries the tests above left, handed to triage too.)
    expect(moved.refused).toEqual(
      expect.arrayContaining([
        { id: first, reason: 'moved to triage since it was listed: left there' },
        { id: second, reason: 'moved to triage since it was listed: left there' },
      ]),
    );
  });

  it('leaves one whose category an operator changed since it was listed, when it moves only some categories', async () => {
    const recategorised = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8611, eventKey: 'bins-8611', text: 'Не вывозят мусор', category: 'waste' },
    );
    const moved = await moveDepartment({
      client: listingThen(async () => {
        // An operator of housing reads it again: no waste, a leaking roof; it stays theirs.
        const inquiry = await repository.getInquiry(recategorised);
        if (!inquiry) throw new Error('no inquiry');
        const result = applyEvent(
          inquiry,
          {
            type: 'move',
            cause: 'recategorised-by-hand',
            at: new Date().toISOString(),
            reason: 'это протечка крыши',
            operatorId: 'sub-anna',
            operatorName: 'Анна Иванова',
            category: 'housing',
          },
          {
            calendar: communityOf(config, inquiry.groupId)?.calendar ?? fail(),
            warnAtFraction: config.sla.warnAtFraction,
            now: new Date(),
          },
        );
        if (result.outcome !== 'changed') throw new Error(result.outcome);
        await repository.update(result.inquiry, inquiry.version, result.history);
      }),
      tableName: aws.tableName,
      config,
      from: 'housing',
      to: 'roads',
      only: { categories: ['waste'] },
    });
    expect(await repository.getInquiry(recategorised)).toMatchObject({
      department: 'housing',
      category: 'housing',
    });
    expect(moved.refused).toEqual(
      expect.arrayContaining([
        { id: recategorised, reason: 'of category housing since it was listed: left there' },
      ]),
    );
  });
});

function fail(): never {
  throw new Error('no community');
}

describe("moving a department's answer templates", () => {
  it('carries them to the new department as they were, leaving one whose id it has with other words', async () => {
    const store = new DynamoAnswerTemplates(client, aws.tableName);
    const template = (department: string, id: string, text: string) => ({
      id,
      department,
      title: `Шаблон ${id}`,
      text,
      version: 3,
      updatedAt: '2026-11-02T08:00:00.000Z',
      updatedBy: { id: 'sub-roads', name: 'Оператор дорог' },
    });
    for (const [department, id, text] of [
      ['roads', 'pothole', 'Ремонт ямы запланирован.'],
      ['roads', 'same', 'Передано подрядчику.'],
      ['roads', 'clash', 'Слова дорог.'],
      ['housing', 'same', 'Передано подрядчику.'],
      ['housing', 'clash', 'Слова ЖКХ.'],
    ] as const)
      expect(await store.put(template(department, id, text), 'absent')).toBe(true);
    const run = (options: { dryRun?: boolean; only?: { categories: ['roads'] } } = {}) =>
      moveDepartment({ client, tableName: aws.tableName, config, from: 'roads', to: 'housing', ...options });
    const ids = async (department: string) => (await store.list(department)).map((each) => each.id).sort();
    const clash = {
      id: 'clash',
      reason:
        'housing has a template of this id with other words: rename one (PUT it under a new id, delete the old) and run again',
    };

    // A split leaves them in the old department, which still answers the rest.
    expect((await run({ only: { categories: ['roads'] } })).templates).toBeUndefined();
    expect((await run({ dryRun: true })).templates).toEqual({ carried: 2, left: [clash] });
    expect(await ids('roads')).toEqual(['clash', 'pothole', 'same']);

    expect((await run()).templates).toEqual({ carried: 2, left: [clash] });
    expect(await ids('roads')).toEqual(['clash']);
    expect(await ids('housing')).toEqual(['clash', 'pothole', 'same']);
    expect(await store.get('housing', 'pothole')).toEqual(
      template('housing', 'pothole', 'Ремонт ямы запланирован.'),
    );
    expect(await store.get('housing', 'clash')).toMatchObject({ text: 'Слова ЖКХ.' });

    // Renamed by the heads, the run carries it; the old department then has none.
    const { id: _id, ...renamed } = template('roads', 'clash', 'Слова дорог.');
    expect(await store.put({ ...renamed, id: 'clash-roads' }, 'absent')).toBe(true);
    expect(await store.delete('roads', 'clash', 'any')).toBe(true);
    expect((await run()).templates).toEqual({ carried: 1, left: [] });
    expect(await ids('roads')).toEqual([]);
    expect((await run()).templates).toBeUndefined();
  });

  it(`carries no more than the new department may keep (${TEMPLATES_PER_DEPARTMENT}), naming those left`, async () => {
    const store = new DynamoAnswerTemplates(client, aws.tableName);
    const template = (department: string, id: string) => ({
      id,
      department,
      title: `Шаблон ${id}`,
      text: 'Передано подрядчику.',
      version: 1,
      updatedAt: '2026-11-02T08:00:00.000Z',
      updatedBy: { id: 'sub-roads', name: 'Оператор дорог' },
    });
    for (let kept = await store.count('housing'); kept < TEMPLATES_PER_DEPARTMENT - 1; kept++)
      expect(await store.put(template('housing', `filler-${kept}`), 'absent')).toBe(true);
    for (const id of ['a-first', 'b-second'])
      expect(await store.put(template('roads', id), 'absent')).toBe(true);
    const run = (dryRun = false) =>
      moveDepartment({ client, tableName: aws.tableName, config, from: 'roads', to: 'housing', dryRun });
    const full = {
      id: 'b-second',
      reason: `housing keeps ${TEMPLATES_PER_DEPARTMENT} answer templates already: delete those no longer used (there or here) and run again`,
    };

    expect((await run(true)).templates).toEqual({ carried: 1, left: [full] });
    expect(await store.count('roads')).toBe(2);
    expect((await run()).templates).toEqual({ carried: 1, left: [full] });
    expect(await store.count('housing')).toBe(TEMPLATES_PER_DEPARTMENT);
    expect((await store.list('roads')).map((each) => each.id)).toEqual(['b-second']);

    // One deleted there by the heads, the run made again carries the rest.
    expect(await store.delete('housing', 'filler-10', 'any')).toBe(true);
    expect((await run()).templates).toEqual({ carried: 1, left: [] });
    expect(await store.count('roads')).toBe(0);
  });

  it("names the items edited out of shape that it cannot carry: under the new department's id, or the old's own", async () => {
    const store = new DynamoAnswerTemplates(client, aws.tableName);
    await client.send(
      new PutCommand({
        TableName: aws.tableName,
        Item: { pk: 'TEMPLATES#housing', sk: 'TEMPLATE#odd', entity: 'answer-template', title: 'Без текста' },
      }),
    );
    // And one of the old department's: no template to carry, but not to be forgotten when it is removed.
    await client.send(
      new PutCommand({
        TableName: aws.tableName,
        Item: {
          pk: 'TEMPLATES#roads',
          sk: 'TEMPLATE#broken',
          entity: 'answer-template',
          title: 'Без текста',
        },
      }),
    );
    const broken = {
      id: 'broken',
      reason:
        'does not read as a template: mend or delete it (docs/runbook.md, "A malformed inquiry item") and run again',
    };
    expect(
      await store.put(
        {
          id: 'odd',
          department: 'roads',
          title: 'Шаблон odd',
          text: 'Передано подрядчику.',
          version: 1,
          updatedAt: '2026-11-02T08:00:00.000Z',
          updatedBy: { id: 'sub-roads', name: 'Оператор дорог' },
        },
        'absent',
      ),
    ).toBe(true);
    const unreadable = {
      id: 'odd',
      reason:
        'housing holds an item under this id that does not read as a template: mend or delete it ' +
        '(docs/runbook.md, "A malformed inquiry item") and run again',
    };
    for (const dryRun of [true, false])
      expect(
        (
          await moveDepartment({
            client,
            tableName: aws.tableName,
            config,
            from: 'roads',
            to: 'housing',
            dryRun,
          })
        ).templates,
      ).toEqual({ carried: 0, left: [unreadable, broken] });
    expect((await store.list('roads')).map((each) => each.id)).toEqual(['odd']);
    expect(await store.delete('roads', 'odd', 'any')).toBe(true);
    expect(await store.delete('roads', 'broken', 'any')).toBe(true);
    expect(await store.delete('housing', 'odd', 'any')).toBe(true);
  });
});
