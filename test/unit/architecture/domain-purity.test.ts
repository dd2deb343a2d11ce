import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
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

/**
 * Every module a source names: `import … from`, `export … from`, a side-effect `import 'x'`, `import('x')`,
 * `require('x')` and `import x = require('x')`, read by TypeScript's own scanner, which skips comments and
 * strings (a pattern of ours would miss a form, as one needing `from` missed the side-effect import).
 */
const importsOf = (source: string) =>
  ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);

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

  it('is checked for every form of import', () => {
    const source = [
      "import 'node:fs';",
      'import path from "node:path";',
      "import type { SQSClient } from '@aws-sdk/client-sqs';",
      "import {\n  QUEUES,\n} from '../../lib/resources.js';",
      "export * from 'net';",
      "const http = require('http');",
      "const child = await import('node:child_process');",
      "import tls = require('tls');",
      "// import 'node:dgram';",
      'const words = "require(\'https\')";',
    ].join('\n');
    expect(importsOf(source)).toEqual([
      'node:fs',
      'node:path',
      '@aws-sdk/client-sqs',
      '../../lib/resources.js',
      'net',
      'http',
      'node:child_process',
      'tls',
    ]);
  });
});
