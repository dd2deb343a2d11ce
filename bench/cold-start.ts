/**
 * Cold start: each function bundled as lib/constructs/house-function.ts bundles it (esbuild, ESM, node20,
 * minified, source maps, the same banner, `@aws-sdk/*` left to the runtime as NodejsFunction does for
 * Node.js 18+), then imported in a fresh Node process (with `--enable-source-maps`, as the functions run)
 * that handles one first event against the real emulators. The time is from the process's own start
 * (performance.timeOrigin) to the first answer, so it holds Node's boot, the import and the first event;
 * the same for an empty handler bundled the same way gives the ratio.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { median, round } from './support/stats.js';

const root = new URL('..', import.meta.url).pathname;
// Under the project, so that the bundles find `@aws-sdk/*` in node_modules as Lambda's runtime provides it.
const dir = join(root, '.local/bench-bundles');
const BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
const RUNS = 5;

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

async function bundle(name: string): Promise<string> {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  const entry = ENTRIES[name] ? join(root, ENTRIES[name]) : join(out, 'empty.mjs');
  if (!ENTRIES[name])
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'ok' });\n");
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: { js: BANNER },
    outfile: join(out, 'index.mjs'),
    logLevel: 'silent',
  });
  return out;
}

export interface ColdStartFigures {
  bundleBytes: number;
  /** From the process's start to the first event's answer, median of RUNS fresh processes. */
  firstAnswerMs: number;
  importMs: number;
}

/** env: what the functions read at import, pointing at running emulators (see bench/run.ts). */
export async function coldStarts(env: Record<string, string>, groupId: number, secret: string) {
  rmSync(dir, { recursive: true, force: true });
  const figures: Record<string, ColdStartFigures> = {};
  for (const name of Object.keys(ENTRIES)) {
    const out = await bundle(name);
    const probe = join(out, 'probe.mjs');
    writeFileSync(
      probe,
      `const GROUP_ID = ${groupId}; const SECRET = ${JSON.stringify(secret)};\n` +
        `const t0 = performance.now(); const { handler } = await import('./index.mjs'); const t1 = performance.now();\n` +
        `const context = { functionName: '${name}', awsRequestId: 'cold', getRemainingTimeInMillis: () => 10000 };\n` +
        `const answer = await handler(${FIRST_EVENTS[name]}, context);\n` +
        `if (${name === 'ingest'} && answer?.body !== 'ok') throw new Error('unexpected answer ' + JSON.stringify(answer));\n` +
        `process.stdout.write(JSON.stringify({ total: performance.now(), importMs: t1 - t0 }));\n`,
    );
    const runs = Array.from({ length: RUNS }, () => {
      const output = execFileSync(process.execPath, ['--enable-source-maps', probe], {
        env: { ...process.env, ...env, POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_LOG_LEVEL: 'WARN' },
        encoding: 'utf8',
        cwd: root,
      });
      return JSON.parse(output) as { total: number; importMs: number };
    });
    figures[name] = {
      bundleBytes: statSync(join(out, 'index.mjs')).size,
      firstAnswerMs: round(median(runs.map((run) => run.total)), 1),
      importMs: round(median(runs.map((run) => run.importMs)), 1),
    };
  }
  const empty = figures.empty?.firstAnswerMs ?? Number.NaN;
  const ratios = Object.fromEntries(
    Object.entries(figures).map(([name, f]) => [name, round(f.firstAnswerMs / empty, 2)]),
  );
  return { functions: figures, ratioToEmpty: ratios, runs: RUNS };
}
