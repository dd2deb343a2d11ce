import { describe, expect, it } from 'vitest';
import { CITIZENS_PER_SCAN, citizensFilter } from '../../../lambdas/adapters/citizen-records.js';

describe("the filter of the erasure's read for several citizens", () => {
  it("keeps within DynamoDB's 4 KB of an expression, 300 operators and 100 operands of IN, for as many as one read takes", () => {
    // The longest ids VK gives yet have ten digits; placeholders keep the expression's length apart from them.
    const userIds = Array.from({ length: CITIZENS_PER_SCAN }, (_, i) => 1_999_999_900 + i);
    const filter = citizensFilter(123456789, userIds);
    expect(Buffer.byteLength(filter.FilterExpression)).toBeLessThanOrEqual(4096);
    for (const list of filter.FilterExpression.matchAll(/ IN \(([^)]*)\)/g))
      expect(list[1]?.split(',').length).toBeLessThanOrEqual(100);
    // And within its 300 operators and functions, which a filter meets too (`The expression contains too many
    // operators`): each comparison, AND, OR, NOT, IN (whatever its operands) and function counts. dynalite
    // checks neither bound, so only this test would tell.
    const operators = filter.FilterExpression.match(
      /\b(?:AND|OR|NOT|IN|BETWEEN)\b|<>|<=|>=|=|<|>|\b(?:attribute_exists|attribute_not_exists|attribute_type|begins_with|contains|size)\(/g,
    );
    expect(operators?.length).toBeLessThanOrEqual(300);
    // Every placeholder the expression names has its value, and each citizen's words are looked for.
    for (const placeholder of filter.FilterExpression.match(/:\w+/g) ?? [])
      expect(filter.ExpressionAttributeValues, placeholder).toHaveProperty(placeholder);
    for (const [i, userId] of userIds.entries()) {
      // In citizens' words and in operators' own: a history entry's `reason` (a note, why it was closed).
      for (const words of ['#text', '#detail.#text', '#detail.#previous', '#reason'])
        expect(filter.FilterExpression).toContain(`contains(${words}, :m${i})`);
      expect(filter.ExpressionAttributeValues).toMatchObject({
        [`:u${i}`]: userId,
        [`:m${i}`]: String(userId),
        [`:d${i}`]: `dm:${userId}:`,
      });
    }
  });
});
