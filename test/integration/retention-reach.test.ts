import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { applyEvent, type InquiryEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { createRetentionSweep } from '../../lambdas/retention/sweep.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { createInquiryTable } from '../../local/emulators.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { everyTableItem } from '../support/table-items.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let store: DynamoRetentionStore;
let tableName = '';
let tables = 0;
const config = readConfigFile('config/local.json');
const calendar = config.communities[0]?.calendar;

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
});
// A table for each test: a sweep reads the whole table, keeps its list of departments and its census there,
// and counts all it deletes, so another test's inquiries and nights would be in its runs.
beforeEach(async () => {
  tableName = `retention-reach-${++tables}`;
  await createInquiryTable(aws.dynamo, tableName);
  repository = new DynamoInquiryRepository(documents, tableName);
  store = new DynamoRetentionStore(documents, tableName);
});
afterAll(() => aws?.stop());

/** A citizen's message routed under the full configuration: the inquiry's id. */
async function routed(peerId: number, key: string, category: Category, at: string): Promise<string> {
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, eventKey) => `reach-${eventKey}`,
  });
  const message = classifiedDirectMessage({
    peerId,
    eventKey: key,
    at,
    text: `Слова жителя ${key}`,
    category,
  });
  return (await router.routeCitizenMessage(message)).inquiryId;
}

/** An operator's change of the inquiry, through the repository as the operator API writes it. */
async function change(id: string, at: string, event: InquiryEvent): Promise<void> {
  const inquiry = await repository.getInquiry(id);
  if (!inquiry || !calendar) throw new Error(`no inquiry ${id}`);
  const result = applyEvent(inquiry, event, { calendar, warnAtFraction: 0.8, now: new Date(at) });
  if (result.outcome !== 'changed') throw new Error(`the change of ${id} was ${result.outcome}`);
  await repository.update(result.inquiry, inquiry.version, result.history);
}

/** A citizen's message routed under the full configuration, then answered by an operator a day later. */
async function answered(peerId: number, key: string, category: Category, at: string): Promise<string> {
  const id = await routed(peerId, key, category, at);
  const answeredAt = new Date(Date.parse(at) + 24 * 60 * 60 * 1000).toISOString();
  await change(id, answeredAt, {
    type: 'final_answer',
    cause: `op:${id}`,
    at: answeredAt,
    operatorId: 'operator',
    text: 'Ответ',
    via: 'console',
  });
  return id;
}

const everyItem = () => everyTableItem(documents, tableName);

const itemsOf = async (id: string) =>
  (await everyItem()).filter((item) => String(item.pk).includes(id) || item.inquiryId === id);

const sweepAt = (
  at: string,
  configured: AppConfig,
  options: { closedInquiryDays?: number; censusPageSize?: number; hasTime?: () => boolean } = {},
) =>
  createRetentionSweep({
    config:
      options.closedInquiryDays === undefined
        ? configured
        : { ...configured, retention: { closedInquiryDays: options.closedInquiryDays } },
    store,
    clock: { now: () => new Date(at) },
    ...(options.censusPageSize !== undefined && { censusPageSize: options.censusPageSize }),
  })(options.hasTime ?? (() => true));

const withoutHousing: AppConfig = {
  ...config,
  departments: config.departments.filter((department) => department.id !== 'housing'),
};

/** The departments the sweep knows, and its census. */
const sweptDepartments = async () =>
  (await everyItem())
    .filter((item) => item.pk === 'DEPARTMENTS')
    .map((item) => String(item.sk))
    .sort();

describe('the retention sweep and inquiries the configuration no longer reaches', () => {
  it('deletes a finished inquiry whatever its department or community, once its period has passed', async () => {
    const ofRoads = await answered(9_700_001, 'roads', 'roads', '2026-03-16T04:00:00.000Z');
    const ofHousing = await answered(9_700_002, 'housing', 'waste', '2026-03-16T04:00:00.000Z');
    const ofCommunity = await answered(9_700_003, 'community', 'roads', '2026-03-16T04:00:00.000Z');
    expect((await repository.getInquiry(ofHousing))?.department).toBe('housing');
    for (const id of [ofRoads, ofHousing, ofCommunity]) {
      expect((await itemsOf(id)).map((item) => item.entity)).toEqual(
        expect.arrayContaining(['inquiry', 'history', 'message', 'case', 'conversation']),
      );
    }
    // Years later housing is gone from the configuration (its work moved... or not), and so is the community.
    const later: AppConfig = { ...withoutHousing, communities: [] };
    expect(await sweepAt('2031-03-20T06:00:00.000Z', later)).toMatchObject({ failed: 0, complete: true });
    expect(await itemsOf(ofRoads)).toEqual([]);
    expect(await itemsOf(ofCommunity)).toEqual([]);
    expect(await itemsOf(ofHousing)).toEqual([]);
    expect(JSON.stringify(await everyItem())).not.toContain('Слова жителя');
  });

  it('goes on sweeping a department it saw configured once the configuration drops it, then forgets it', async () => {
    // The census was read whole on the night before (not again for 30 days): what finds these is the list
    // of departments the sweep noted while they were configured.
    const finished = await answered(9_700_011, 'noted-finished', 'waste', '2031-04-01T04:00:00.000Z');
    const open = await routed(9_700_012, 'noted-open', 'waste', '2031-04-01T04:00:00.000Z');
    expect((await repository.getInquiry(open))?.department).toBe('housing');
    expect(await sweepAt('2031-04-03T06:00:00.000Z', config, { closedInquiryDays: 5 })).toMatchObject({
      deleted: 0,
      complete: true,
    });
    expect(await sweptDepartments()).toEqual(['CENSUS', 'DEPT#housing', 'DEPT#roads', 'DEPT#triage']);

    // Housing removed with its open inquiry still in it (the router hands that one to triage when its
    // citizen writes again); its answered one's period passes.
    const run = await sweepAt('2031-04-10T06:00:00.000Z', withoutHousing, { closedInquiryDays: 5 });
    expect(run).toMatchObject({ deleted: 1, failed: 0, complete: true });
    expect(await itemsOf(finished)).toEqual([]);
    expect((await repository.getInquiry(open))?.status).not.toBe('answered');
    // Still listing an inquiry, housing stays noted; once it lists none, it is forgotten.
    expect(await sweptDepartments()).toContain('DEPT#housing');
    await change(open, '2031-04-11T06:00:00.000Z', {
      type: 'move',
      cause: 'op:move-open',
      at: '2031-04-11T06:00:00.000Z',
      operatorId: 'operator',
      reason: 'a citizen of the district',
      department: 'triage',
      force: true,
    });
    expect(await sweepAt('2031-04-12T06:00:00.000Z', withoutHousing, { closedInquiryDays: 5 })).toMatchObject(
      {
        deleted: 0,
        complete: true,
      },
    );
    expect(await sweptDepartments()).toEqual(['CENSUS', 'DEPT#roads', 'DEPT#triage']);
  });

  it('finds by its census a department it never saw configured, reading on the next night where it stopped', async () => {
    // Configured for a day between two nights (or removed before the sweep kept its list): moved there and
    // answered, then gone from every configuration the sweep ran with. A census is read whole first. Roads
    // holds a citizen's open inquiry, which the sweep keeps: the census's Scan lists it before parks' (dynalite,
    // as DynamoDB, scans in the order of its keys' hashes), so its first page finds nothing new, and a night
    // with time for one page stops with its place saved.
    await routed(9_700_024, 'census-open', 'roads', '2031-05-01T04:00:00.000Z');
    expect(await sweepAt('2031-05-30T06:00:00.000Z', config)).toMatchObject({ complete: true });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const id = await answered(9_700_020 + n, `census-${n}`, 'roads', '2031-06-01T04:00:00.000Z');
      await change(id, '2031-06-03T06:00:00.000Z', {
        type: 'move',
        cause: `op:move-${id}`,
        at: '2031-06-03T06:00:00.000Z',
        operatorId: 'operator',
        reason: 'parks answer for it',
        department: 'parks',
        force: true,
      });
      expect((await repository.getInquiry(id))?.department).toBe('parks');
      ids.push(id);
    }
    // Within 30 days of that census: nothing reaches parks.
    const at = '2031-06-10T06:00:00.000Z';
    expect(await sweepAt(at, config, { closedInquiryDays: 5 })).toMatchObject({ deleted: 0, complete: true });
    for (const id of ids) expect(await repository.getInquiry(id)).toBeDefined();

    // A month after it, a census begins, a page of one index item at a time; this night has time for one page.
    let pages = 0;
    const counting = Object.assign(Object.create(store) as DynamoRetentionStore, {
      censusPage: (after: string | undefined, limit?: number) => {
        pages++;
        return store.censusPage(after, limit);
      },
    });
    const late = '2031-07-01T06:00:00.000Z';
    const stopped = await createRetentionSweep({
      config: { ...config, retention: { closedInquiryDays: 5 } },
      store: counting,
      clock: { now: () => new Date(late) },
      censusPageSize: 1,
    })(() => pages < 1);
    expect(stopped).toMatchObject({ complete: false, failed: 0 });
    const census = (await everyItem()).find((item) => item.pk === 'DEPARTMENTS' && item.sk === 'CENSUS');
    expect(census).toMatchObject({ startedAt: late });
    expect(census?.after).toBeDefined();
    expect(census?.doneAt).toBeUndefined();

    const next = '2031-07-02T06:00:00.000Z';
    const run = await sweepAt(next, config, { closedInquiryDays: 5, censusPageSize: 1 });
    expect(run).toMatchObject({ deleted: 3, failed: 0, complete: true });
    for (const id of ids) expect(await itemsOf(id)).toEqual([]);
    expect((await everyItem()).find((item) => item.sk === 'CENSUS')).toMatchObject({
      startedAt: late,
      doneAt: next,
    });
    expect(await sweptDepartments()).not.toContain('DEPT#parks');
    // Run again: nothing more to do, and no census for another 30 days.
    expect(await sweepAt('2031-07-03T06:00:00.000Z', config, { closedInquiryDays: 5 })).toEqual({
      deleted: 0,
      items: 0,
      kept: 0,
      unopened: 0,
      failed: 0,
      complete: true,
    });
  });

  it('deletes one whose deadline notice no one will send, its department no longer configured', async () => {
    // Its escalation was marked to be told, then it was answered; before the escalator's next run, housing
    // went from the configuration: the escalator reads the configured departments' part of its index only.
    const id = await answered(9_700_031, 'unsent-notice', 'waste', '2031-08-01T04:00:00.000Z');
    const inquiry = await repository.getInquiry(id);
    if (!inquiry) throw new Error(`no inquiry ${id}`);
    await repository.update(
      {
        ...inquiry,
        version: inquiry.version + 1,
        pendingNotification: {
          kind: 'breach',
          clock: 'resolution',
          dueAt: '2031-08-01T12:00:00.000Z',
          at: '2031-08-01T12:00:00.000Z',
          department: 'housing',
        },
      },
      inquiry.version,
      [],
    );
    // Configured, its notice still to be sent holds it, as docs/retention.md says.
    expect(await sweepAt('2031-08-10T06:00:00.000Z', config, { closedInquiryDays: 5 })).toMatchObject({
      deleted: 0,
    });
    expect(await repository.getInquiry(id)).toBeDefined();
    expect(await sweepAt('2031-08-11T06:00:00.000Z', withoutHousing, { closedInquiryDays: 5 })).toMatchObject(
      {
        deleted: 1,
        failed: 0,
      },
    );
    expect(await itemsOf(id)).toEqual([]);
  });
});
