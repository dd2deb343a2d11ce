/**
 * Cold start: each function bundled as lib/constructs/house-function.ts bundles it (esbuild, ESM, node20,
 * minified, source maps, the same banner and the same choice about the AWS SDK), then imported in a fresh
 * Node process with the functions' NODE_OPTIONS, handling one first event against the real emulators. The
 * time is from the process's own start (performance.timeOrigin) to the first answer, so it holds Node's
 * boot, the import and the first event; the same for an empty handler bundled the same way gives the ratio.
 * Ingest takes its AWS path (bench/support/cold-start-env.ts): its signed SendMessage to fauxqs and its
 * secrets through a stand-in for the Parameters and Secrets extension.
 *
 * `npx tsx bench/cold-start.ts` compares the ways of bundling and running them (see VARIANTS).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { benchArguments } from './support/command-line.js';
import { median, round } from './support/stats.js';

const root = new URL('..', import.meta.url).pathname;
// Under the project, so that bundles leaving `@aws-sdk/*` out find it in node_modules, as Lambda's runtime
// provides it.
const dir = join(root, '.local/bench-bundles');
const BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
const RUNS = 9;

/** How a function is bundled and run. */
export interface Variant {
  /** `bundleAwsSDK` of NodejsFunction: the SDK in the bundle (tree-shaken) or left to Lambda's runtime. */
  bundleAwsSdk: boolean;
  /** The original sources inside the source map (NodejsFunction's `sourcesContent`). */
  sourcesContent: boolean;
  /** NODE_OPTIONS of the functions. */
  nodeOptions: string[];
}

/**
 * What lib/constructs/house-function.ts does: test/infra/bundles.test.ts holds the bundles `cdk synth` builds
 * to it.
 */
export const HOUSE: Variant = {
  bundleAwsSdk: true,
  sourcesContent: false,
  nodeOptions: ['--enable-source-maps'],
};

/** The ways compared by `npx tsx bench/cold-start.ts`: the house's, the one before it, and each step. */
export const VARIANTS: Record<string, Variant> = {
  'SDK from the runtime, full source maps (as before)': {
    bundleAwsSdk: false,
    sourcesContent: true,
    nodeOptions: ['--enable-source-maps'],
  },
  'SDK bundled, full source maps': {
    bundleAwsSdk: true,
    sourcesContent: true,
    nodeOptions: ['--enable-source-maps'],
  },
  'SDK bundled, source maps without sources (house)': HOUSE,
  'SDK bundled, no --enable-source-maps': { bundleAwsSdk: true, sourcesContent: false, nodeOptions: [] },
};

/** The first event each function gets, as its event source would hand it. */
const FIRST_EVENTS: Record<string, string> = {
  empty: '{}',
  ingest: `({ version: '2.0', headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/vk/callback' } }, isBase64Encoded: false,
    body: JSON.stringify({ type: 'message_new', event_id: 'cold-' + process.pid, v: '5.199', group_id: GROUP_ID,
      secret: SECRET, object: { message: { id: 1, date: 1764300000, peer_id: 1, from_id: 1, out: 0,
      conversation_message_id: 1, text: 'Не вывозят мусор', attachments: [] } } }) })`,
  classifier: `({ Records: [] })`,
  router: `({ Records: [] })`,
};

const ENTRIES: Record<string, string> = {
  empty: '',
  ingest: 'lambdas/ingest/handler.ts',
  classifier: 'lambdas/classifier/handler.ts',
  router: 'lambdas/router/handler.ts',
};

async function bundle(out: string, name: string, variant: Variant): Promise<Metafile> {
  mkdirSync(out, { recursive: true });
  const entry = ENTRIES[name] ? join(root, ENTRIES[name]) : join(out, 'empty.mjs');
  if (!ENTRIES[name])
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'ok' });\n");
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    sourcemap: true,
    sourcesContent: variant.sourcesContent,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    external: variant.bundleAwsSdk ? [] : ['@aws-sdk/*'],
    banner: { js: BANNER },
    outfile: join(out, 'index.mjs'),
    metafile: true,
    logLevel: 'silent',
  });
  return metafile;
}

export interface ColdStartFigures {
  bundleBytes: number;
  sourceMapBytes: number;
  /** From the process's start to the first event's answer, median of the runs' fresh processes. */
  firstAnswerMs: number;
  importMs: number;
}

/** The packages that weigh most in a bundle, in KiB, from esbuild's metafile. */
function heaviest(metafile: Metafile, count = 6): Record<string, number> {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint);
  const byPackage: Record<string, number> = {};
  for (const [file, input] of Object.entries(output?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? '(ours)';
    byPackage[name] = (byPackage[name] ?? 0) + input.bytesInOutput;
  }
  return Object.fromEntries(
    Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, bytes]) => [name, round(bytes / 1024, 0)]),
  );
}

/**
 * env: what the functions read at import, pointing at running emulators (see bench/run.ts). Each variant's
 * functions run in turn, one fresh process after another, RUNS times over, so that a busy moment of the
 * machine falls on all of them alike.
 */
export async function compareColdStarts(
  env: Record<string, string>,
  groupId: number,
  secret: string,
  variants: Record<string, Variant>,
  runs = RUNS,
) {
  rmSync(dir, { recursive: true, force: true });
  const probes: { variant: string; name: string; out: string; metafile: Metafile }[] = [];
  for (const [index, [variantName, variant]] of Object.entries(variants).entries())
    for (const name of Object.keys(ENTRIES)) {
      const out = join(dir, String(index), name);
      const metafile = await bundle(out, name, variant);
      writeFileSync(
        join(out, 'probe.mjs'),
        `const GROUP_ID = ${groupId}; const SECRET = ${JSON.stringify(secret)};\n` +
          `const t0 = performance.now(); const { handler } = await import('./index.mjs'); const t1 = performance.now();\n` +
          `const context = { functionName: '${name}', awsRequestId: 'cold', getRemainingTimeInMillis: () => 10000 };\n` +
          `const answer = await handler(${FIRST_EVENTS[name]}, context);\n` +
          `if (${name === 'ingest'} && answer?.body !== 'ok') throw new Error('unexpected answer ' + JSON.stringify(answer));\n` +
          `process.stdout.write(JSON.stringify({ total: performance.now(), importMs: t1 - t0 }));\n`,
      );
      probes.push({ variant: variantName, name, out, metafile });
    }
  const timings = new Map(probes.map((probe) => [probe, [] as { total: number; importMs: number }[]]));
  for (let run = 0; run < runs; run++)
    for (const probe of probes) {
      const { nodeOptions } = variants[probe.variant] as Variant;
      const output = execFileSync(process.execPath, [...nodeOptions, join(probe.out, 'probe.mjs')], {
        env: { ...process.env, ...env, POWERTOOLS_SERVICE_NAME: probe.name, POWERTOOLS_LOG_LEVEL: 'WARN' },
        encoding: 'utf8',
        cwd: root,
      });
      timings.get(probe)?.push(JSON.parse(output) as { total: number; importMs: number });
    }

  const results: Record<
    string,
    {
      functions: Record<string, ColdStartFigures>;
      ratioToEmpty: Record<string, number>;
      heaviest: Record<string, Record<string, number>>;
    }
  > = {};
  for (const probe of probes) {
    results[probe.variant] ??= { functions: {}, ratioToEmpty: {}, heaviest: {} };
    const result = results[probe.variant] as (typeof results)[string];
    const times = timings.get(probe) ?? [];
    result.functions[probe.name] = {
      bundleBytes: statSync(join(probe.out, 'index.mjs')).size,
      sourceMapBytes: statSync(join(probe.out, 'index.mjs.map')).size,
      firstAnswerMs: round(median(times.map((time) => time.total)), 1),
      importMs: round(median(times.map((time) => time.importMs)), 1),
    };
    if (probe.name !== 'empty') result.heaviest[probe.name] = heaviest(probe.metafile);
  }
  for (const result of Object.values(results)) {
    const empty = result.functions.empty?.firstAnswerMs ?? Number.NaN;
    for (const [name, figures] of Object.entries(result.functions))
      result.ratioToEmpty[name] = round(figures.firstAnswerMs / empty, 2);
  }
  return { variants: results, runs };
}

/** The house's figures alone, for bench/run.ts. */
export async function coldStarts(env: Record<string, string>, groupId: number, secret: string) {
  const { variants, runs } = await compareColdStarts(env, groupId, secret, { house: HOUSE });
  const house = variants.house;
  if (!house) throw new Error('no figures for the house variant');
  return { ...house, ...HOUSE, runs };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  benchArguments(
    'bench/cold-start.ts',
    `Cold starts (docs/benchmarks.md): each function bundled as the stacks bundle it, then imported in a fresh
Node process handling one first event, compared across the ways of bundling and running them; RUNS (default
9) runs each. Prints the figures; bench/results/ is left as it is.

  npx tsx bench/cold-start.ts`,
  );
  const { coldStartEnvironment } = await import('./support/cold-start-env.js');
  const { demoCommunity } = await import('./support/vk-events.js');
  const { groupId, secret } = demoCommunity();
  const env = await coldStartEnvironment();
  const runs = Number(process.env.RUNS ?? 9);
  try {
    const { variants } = await compareColdStarts(env.variables, groupId, secret, VARIANTS, runs);
    for (const [variant, result] of Object.entries(variants)) {
      console.log(`${variant} (median of ${runs})`);
      for (const [name, f] of Object.entries(result.functions))
        console.log(
          `  ${name.padEnd(10)} ${(f.bundleBytes / 1024).toFixed(0).padStart(5)} KiB (map ${(f.sourceMapBytes / 1024).toFixed(0)} KiB)  first answer ${f.firstAnswerMs} ms (import ${f.importMs} ms)  ×${result.ratioToEmpty[name]}`,
        );
      console.log(`  heaviest in ingest (KiB): ${JSON.stringify(result.heaviest.ingest)}`);
    }
  } finally {
    await env.stop();
  }
}
