import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOMAIN = 'lambdas/domain';
const FORBIDDEN = [
  /^@aws-sdk\//,
  /^@aws-lambda-powertools\//,
  /^aws-cdk-lib/,
  /^node:/,
  /^(fs|net|http|https|dgram|tls|child_process)$/,
  /\/lib\//,
  // The operator API's HTTP contract (contract/) and views are the API's: the domain knows nothing of HTTP.
  /\/operator-api\//,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const importsOf = (source: string) =>
  [
    ...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] ?? match[2] ?? '');

describe('the domain', () => {
  it('imports nothing from AWS, CDK, lib/, Node I/O modules or the operator API', () => {
    const offending = sourceFiles(DOMAIN).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((specifier) => FORBIDDEN.some((pattern) => pattern.test(specifier)))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(sourceFiles(DOMAIN).length).toBeGreaterThan(5);
    expect(offending).toEqual([]);
  });
});
