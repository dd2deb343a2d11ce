import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { callbackBody, fixture, TEST_CONFIG_FILE, TEST_SECRETS_FILE } from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import { callbackRequest, type HttpFunction, lambdaContext, type SqsFunction } from './ingest-requests.js';

/**
 * Powertools logs each invocation's whole event when POWERTOOLS_LOGGER_LOG_EVENT is true: for these functions
 * that is the citizen's words, ids and the community's secret. Every handler refuses it whatever the
 * environment says (`logEvent: false` wins over the variable).
 */
let aws: TestAws;
const CITIZEN_WORDS = 'Мой номер +7 912 000-11-22, у подъезда не горит фонарь';

beforeAll(async () => {
  aws = await startTestAws();
  Object.assign(process.env, {
    CONFIG_FILE: TEST_CONFIG_FILE,
    LOCAL_SECRETS_FILE: TEST_SECRETS_FILE,
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_LOGGER_LOG_EVENT: 'true',
  });
});
afterAll(async () => {
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
  await aws?.stop();
});

/** What a call wrote to stdout and to the console. */
async function logsOf(call: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await call();
  } finally {
    write.mockRestore();
  }
  return lines.join('');
}

it('ingest, classifier and router log neither the citizen’s words nor the secret, even when told to log events', async () => {
  const ingest = (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction;
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
  const body = callbackBody('03_message_new__vknet.json', {
    object: {
      message: {
        ...message,
        text: CITIZEN_WORDS,
        peer_id: 7_700_001,
        from_id: 7_700_001,
        conversation_message_id: 1,
      },
    },
  });

  const ingestLogs = await logsOf(async () => {
    expect((await ingest(callbackRequest(body), lambdaContext)).statusCode).toBe(200);
  });
  const [received] = await drainQueue(aws.sqs, aws.queues.events.url);
  const classifierLogs = await logsOf(async () => {
    expect((await classifier(sqsEvent([received]), lambdaContext)).batchItemFailures).toEqual([]);
  });
  const [routing] = await drainQueue(aws.sqs, aws.queues.routing.url);
  const routerLogs = await logsOf(async () => {
    expect((await router(sqsEvent([routing]), lambdaContext)).batchItemFailures).toEqual([]);
  });

  // The functions did log (INFO), so silence is not why the words are absent.
  expect(classifierLogs).toContain('event handled');
  for (const logs of [ingestLogs, classifierLogs, routerLogs]) {
    expect(logs).not.toContain('фонарь');
    expect(logs).not.toContain('912');
    expect(logs).not.toContain(String(body.secret));
  }
});
