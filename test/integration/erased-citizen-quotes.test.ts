import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Clock, ErasedCitizens } from '../../lambdas/domain/ports.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { citizenDirectMessage, countedMarks } from '../support/erased-citizens.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = parseAppConfig(localConfig, 'local');

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
});
afterAll(() => aws?.stop());

/**
 * The citizen who asked for their data to be deleted, one who did not, and those passing their words on: one
 * for each test, so that no test joins an inquiry another opened in the dialogue.
 */
const ERASED = 7171;
const OTHER = 9191;
const CITIZEN = 8181;
const NEIGHBOUR = 8282;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const unix = (at: Date) => Math.floor(at.getTime() / 1000);

/** A forwarded message of `fromId`, written at `at`, as VK nests it in `fwd_messages`. */
const forwarded = (fromId: number, at: Date, text: string) => ({
  from_id: fromId,
  date: unix(at),
  text,
  attachments: [],
  conversation_message_id: 1,
});

/** The direct message `cmid` of `citizen`, written now, passing on `fwd`, as the classifier hands it on. */
const message = (citizen: number, cmid: number, text: string, fwd: object[] = []) =>
  citizenDirectMessage({
    citizen,
    cmid,
    vkId: 95_000 + cmid,
    at: new Date(),
    text,
    eventKey: `e:erased-quotes-${cmid}`,
    fwd,
  });

const items = async () => (await documents.send(new ScanCommand({ TableName: aws.tableName }))).Items ?? [];
const tableHolds = async (words: string) => JSON.stringify(await items()).includes(words);

/** The router's erasure marks, behind a wrapper that notes for whom the router asks them, and for words written when. */
const marksOn = (clock: Clock) => countedMarks(documents, aws.tableName, clock);

const routerWith = (erasedCitizens: ErasedCitizens) =>
  createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date() },
    inquiryIdFor: (groupId, eventKey) => `${groupId}-${eventKey}`,
    erasedCitizens,
  });

describe("an erased citizen's words passed on by another after the erasure, against dynalite", () => {
  const erasedAt = ago(10);

  beforeAll(async () => {
    const erased = await eraseCitizen({
      client: documents,
      tableName: aws.tableName,
      config,
      groupId: DEMO_GROUP_ID,
      userId: ERASED,
      includeOpen: true,
      clock: { now: () => erasedAt },
    });
    expect(erased.markedAt).toBe(erasedAt.toISOString());
  });

  it("stores the erased citizen's passages written before the erasure redacted, as the erasure does, and keeps the rest", async () => {
    const marks = marksOn({ now: () => new Date() });
    // Taken once: the dates the marks are asked with are these, to the second.
    const [hourAgo, hourAndHalfAgo] = [ago(60), ago(90)];
    const routed = await routerWith(marks).routeCitizenMessage(
      message(CITIZEN, 1, 'Посмотрите, что пишут соседи про мусор у дома 7 по улице Мира', [
        forwarded(ERASED, hourAgo, 'Мусор не вывозят неделю, звоните 89001112233'),
        forwarded(OTHER, hourAgo, 'У нас во дворе то же самое с контейнерами'),
        // Written after the erasure: the erased citizen's new words, kept as anyone's.
        forwarded(ERASED, ago(5), 'Контейнеры так и стоят полные'),
        forwarded(ERASED, hourAndHalfAgo, 'И крысы появились у подъезда'),
      ]),
    );
    expect(routed).toMatchObject({ outcome: 'opened', created: true });

    const inquiry = await repository.getInquiry(routed.inquiryId);
    expect(inquiry?.quoted).toEqual([
      { kind: 'forwarded', depth: 1, text: '', redacted: true },
      expect.objectContaining({ authorId: OTHER, text: 'У нас во дворе то же самое с контейнерами' }),
      expect.objectContaining({ authorId: ERASED, text: 'Контейнеры так и стоят полные' }),
      { kind: 'forwarded', depth: 1, text: '', redacted: true },
    ]);
    // Nowhere in the table: neither on the inquiry nor in its history entry.
    expect(await tableHolds('89001112233')).toBe(false);
    expect(await tableHolds('крысы')).toBe(false);
    expect(await tableHolds('то же самое с контейнерами')).toBe(true);
    // Once per distinct author, whatever the number of their passages, for the oldest of them: an author
    // whose passages are all younger than the community's latest erasure costs no digest.
    expect(marks.asked.toSorted()).toEqual([ERASED, OTHER]);
    expect(marks.writtenAt.get(ERASED)).toBe(new Date(unix(hourAndHalfAgo) * 1000).toISOString());
    expect(marks.writtenAt.get(OTHER)).toBe(new Date(unix(hourAgo) * 1000).toISOString());
  });

  it('asks the marks nothing for a message that passes nothing on, nor for words passed on within minutes', async () => {
    const marks = marksOn({ now: () => new Date() });
    const routing = routerWith(marks);
    await routing.routeCitizenMessage(message(NEIGHBOUR, 2, 'И ещё у дома 11 по улице Мира яма на дороге'));
    await routing.routeCitizenMessage(
      message(NEIGHBOUR, 3, 'Вот что сосед написал только что', [
        forwarded(ERASED, ago(1), 'Яма у дома 11 стала ещё глубже'),
      ]),
    );
    expect(marks.asked).toEqual([]);
    expect(await tableHolds('стала ещё глубже')).toBe(true);
  });
});
