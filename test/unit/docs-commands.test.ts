import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The documents ops and developers read: README.md and docs/. */
const DOCUMENTS = [
  'README.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

describe('the commands of the documents', () => {
  // DescribeStackResources returns only a stack's first 100 resources, and prod's Stateless stack has more:
  // a lookup by it misses what sorts after them. The documents read stack outputs, or ListStackResources,
  // which the CLI pages.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html
  it.each(DOCUMENTS)('%s never looks a resource up with describe-stack-resources', (document) => {
    const calls = readFileSync(document, 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        /describe-stack-resources\b/.test(line) ? [`${document}:${index + 1}`] : [],
      );
    expect(calls).toEqual([]);
  });
});
