import { describe, expect, it } from 'vitest';
import type { QueueFacts } from '../../ops/dlq-replay/queues.js';
import { refusedPair, refusedTable } from '../../ops/dlq-replay/refusals.js';
import { queueNamed } from '../../ops/queue-kinds.js';

/** A deployed queue's facts, by its URL as the Stateful stack's outputs give it. */
const deployed = (name: string, deadLetters: boolean): QueueFacts => {
  const url = `https://sqs.eu-central-1.amazonaws.com/111122223333/${name}`;
  return { url, deadLetters, named: queueNamed(url), retentionSeconds: undefined };
};

describe("dlq:replay between two stages' queues of one account and region", () => {
  const prodLetters = deployed('VkInquiries-prod-Stateful-EventsDlqACDA5DFF-Qx1aZ9kLm2', true);
  const prodEvents = deployed('VkInquiries-prod-Stateful-EventsD32975C2-Pw3bY8jKn4', false);
  const devEvents = deployed('VkInquiries-dev-Stateful-EventsD32975C2-Rt5cX7hJo6', false);
  const prod2Events = deployed('VkInquiries-prod2-Stateful-EventsD32975C2-Su7dW6gIp8', false);

  it("refuses moving one stage's dead letters to another stage's queue", () => {
    for (const other of [devEvents, prod2Events])
      expect(refusedPair(prodLetters, other, false)).toBe(
        `--from ${prodLetters.url} is VkInquiries-prod-Stateful's and --to ${other.url} is ${other.named?.stack}'s: another stage's queue (each stage's Stateful stack's outputs name its own)`,
      );
    expect(refusedPair(prodLetters, devEvents, true)).toMatch(/another stage's queue/);
  });

  it("moves them to the stage's own queue, and a rolled-back stage's answers to its own outbox", () => {
    expect(refusedPair(prodLetters, prodEvents, false)).toBeUndefined();
    const answers = deployed('VkInquiries-prod-Stateful-Answers9615456C-Vw9eV5fHq1', false);
    const outbox = deployed('VkInquiries-prod-Stateful-Outbox27BBF20A-Xy1fU4eGr3', false);
    expect(refusedPair(answers, outbox, true)).toBeUndefined();
  });

  it("refuses another stage's table beside the dead letters, by its name, and takes the stage's own", () => {
    expect(refusedTable(prodLetters, 'VkInquiries-dev-Stateful-Inquiries5DACAF3F-1ABCDEF2GHIJ')).toBe(
      `--table VkInquiries-dev-Stateful-Inquiries5DACAF3F-1ABCDEF2GHIJ is stage dev's and --from ${prodLetters.url} stage prod's: give the table of the queue's stage (its Stateless stack's output InquiryTableName)`,
    );
    expect(refusedTable(prodLetters, 'VkInquiries-prod2-restored-20270301')).toMatch(/is stage prod2's/);
    expect(
      refusedTable(prodLetters, 'VkInquiries-prod-Stateful-Inquiries5DACAF3F-1ABCDEF2GHIJ'),
    ).toBeUndefined();
    expect(refusedTable(prodLetters, 'VkInquiries-prod-restored-20270301')).toBeUndefined();
    // A table named otherwise, or no table: nothing to tell by. A restored table's name is the operator's
    // choice: one that only begins like another stage's is not taken for it.
    expect(refusedTable(prodLetters, 'VkInquiries-prodcopy-20270301')).toBeUndefined();
    expect(refusedTable(prodLetters, 'VkInquiries-prod2027-restored')).toBeUndefined();
    expect(refusedTable(prodLetters, 'inquiries-restored')).toBeUndefined();
    expect(refusedTable(prodLetters, undefined)).toBeUndefined();
  });
});
