import fc from 'fast-check';
import { expect, it } from 'vitest';
import { messageSize, sendBatches } from '../../../lambdas/adapters/sqs-queue.js';

const KIB = 1024;
/** What SQS takes in one SendMessageBatch, all messages together (BatchRequestTooLong past it). */
const SQS_BATCH_BYTES = 1024 * KIB;

it('splits large messages over as many calls as they need, in order, and keeps small ones ten to a call', () => {
  const sizes = [200, 200, 10, 300, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1000].map((kib) => kib * KIB);
  const batches = sendBatches(sizes, (size) => size);
  expect(batches.map((batch) => batch.map((size) => size / KIB))).toEqual([
    [200],
    [200, 10],
    [300],
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    // Larger than a call's share: alone, as SQS takes a message of up to 1 MiB.
    [1000],
  ]);
});

it('never puts more than ten messages, or more than SQS takes, in one call, and loses or reorders none', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: SQS_BATCH_BYTES }), { maxLength: 40 }), (sizes) => {
      const entries = sizes.map((size, index) => ({ index, size }));
      const batches = sendBatches(entries, (entry) => entry.size);
      expect(batches.flat()).toEqual(entries);
      for (const batch of batches) {
        expect(batch.length).toBeGreaterThan(0);
        expect(batch.length).toBeLessThanOrEqual(10);
        expect(batch.reduce((sum, entry) => sum + entry.size, 0)).toBeLessThanOrEqual(SQS_BATCH_BYTES);
      }
    }),
  );
});

it('counts a message as SQS does: its body in bytes, and each attribute’s name, type and value', () => {
  expect(messageSize('{"text":"Спасибо"}')).toBe(25);
  expect(
    messageSize('ab', {
      kind: { DataType: 'String', StringValue: 'отказ' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array(7) },
    }),
  ).toBe(2 + (4 + 6 + 10) + (4 + 6 + 7));
});
