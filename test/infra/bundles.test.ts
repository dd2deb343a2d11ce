import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOUSE } from '../../bench/cold-start.js';
import { buildApp } from '../../lib/app.js';
import { unbundledApp } from '../support/cdk-app.js';

/**
 * What each function ships, read from the bundles as `cdk synth` builds them (lib/constructs/house-function.ts):
 * the bundling the cold-start benchmark measures (its HOUSE variant, the figures of docs/benchmarks.md), and
 * only packages that `npm audit --omit=dev` checks before a deploy (docs/runbook.md, "Updating").
 */
interface Bundle {
  service: string;
  files: string[];
  code: string;
  /** The source map's sources, as paths from the project's root (node_modules' own stay as they are). */
  sources: string[];
  sourcesContent: unknown;
  nodeOptions: string;
}

/** A package's place in package-lock.json (`node_modules/a/node_modules/b`), from a path into node_modules. */
const PACKAGE = /node_modules\/(?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*/;

/**
 * The modules an ESM bundle loads: `import … from "m"`, `export … from "m"`, `import "m"` and `import("m")`.
 * A package left out of the bundle (`bundleAwsSDK: false` leaves `@aws-sdk/*`) is loaded so, from
 * node_modules or the runtime's copy.
 */
const MODULE_LOADS =
  /(?<=^|[;}\n])\s*(?:import\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s*[\w$]+)?\s*from|export\s*(?:\*(?:\s*as\s*[\w$]+)?|\{[^}]*\})\s*from|import)\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

let bundles: Bundle[];

beforeAll(() => {
  const app = buildApp(
    unbundledApp({
      stage: 'test',
      config: 'config/local.json',
      'aws:cdk:bundling-stacks': ['**'],
      'aws:cdk:enable-asset-metadata': true,
    }),
  );
  const assembly = app.synth();
  const stateless = app.node.children.find(
    (child): child is Stack => 'templateOptions' in child && (child as Stack).stackName.endsWith('Stateless'),
  ) as Stack;
  const functions = Template.fromStack(stateless).findResources('AWS::Lambda::Function');
  bundles = Object.values(functions).map((fn) => {
    const dir = join(assembly.directory, fn.Metadata['aws:asset:path']);
    const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8'));
    const variables = fn.Properties.Environment.Variables;
    return {
      service: variables.POWERTOOLS_SERVICE_NAME,
      files: readdirSync(dir).sort(),
      code: readFileSync(join(dir, 'index.mjs'), 'utf8'),
      // esbuild wrote the map in a bundling folder of the assembly, a sibling of the asset's: same depth.
      sources: (map.sources as string[]).map((source) => {
        const path = resolve(dir, source);
        return path.match(PACKAGE)?.[0] ?? relative(process.cwd(), path);
      }),
      sourcesContent: map.sourcesContent,
      nodeOptions: variables.NODE_OPTIONS,
    };
  });
}, 300_000);

describe("the functions' bundles", () => {
  it('are one for each function: the code, its source map and the configuration, nothing else', () => {
    expect(bundles.map((bundle) => bundle.service).sort()).toEqual([
      'classifier',
      'escalator',
      'ingest',
      'operatorapi',
      'responder',
      'retention',
      'router',
    ]);
    for (const bundle of bundles)
      expect(bundle.files, bundle.service).toEqual(['config.json', 'index.mjs', 'index.mjs.map']);
  });

  it('are built as the cold-start benchmark builds them: source maps of mappings alone, read by Node', () => {
    for (const bundle of bundles) {
      expect(bundle.sourcesContent !== undefined, bundle.service).toBe(HOUSE.sourcesContent);
      expect(bundle.nodeOptions.split(' '), bundle.service).toEqual(HOUSE.nodeOptions);
      expect(bundle.code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map'), bundle.service).toBe(true);
    }
  });

  it("carry the AWS SDK inside, as the benchmark measures them, and load no module but Node's own", () => {
    expect(HOUSE.bundleAwsSdk).toBe(true);
    const withSdk = bundles.filter((bundle) =>
      bundle.sources.some((source) => source.startsWith('node_modules/@aws-sdk/')),
    );
    // All but ingest, which signs its one SendMessage itself (lambdas/adapters/sqs-signed-queue.ts).
    expect(withSdk.map((bundle) => bundle.service).sort()).toEqual(
      bundles
        .map((bundle) => bundle.service)
        .filter((service) => service !== 'ingest')
        .sort(),
    );
    for (const bundle of bundles) {
      const imported = [...bundle.code.matchAll(MODULE_LOADS)].map((load) => load.slice(1).find(Boolean));
      expect(imported.length, bundle.service).toBeGreaterThan(0);
      expect(
        imported.filter((name) => !name?.startsWith('node:')),
        bundle.service,
      ).toEqual([]);
    }
  });

  it('hold production packages alone, and no code of the tests, the local runtime, the benchmarks or ops', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    for (const bundle of bundles) {
      const packages = [...new Set(bundle.sources.filter((source) => source.startsWith('node_modules/')))];
      expect(packages.length, bundle.service).toBeGreaterThan(0);
      const notProduction = packages.filter((name) => {
        const entry = lock.packages[name];
        return entry === undefined || entry.dev === true || entry.devOptional === true;
      });
      expect(notProduction, bundle.service).toEqual([]);
      const own = bundle.sources.filter((source) => !source.startsWith('node_modules/'));
      expect(
        own.filter((source) => !/^(?:lambdas|config|model)\/|^lib\/resources\.ts$/.test(source)),
        bundle.service,
      ).toEqual([]);
    }
  });
});
