/**
 * The classifier's figures: texts per second on one core (texts of the training data's median length), the
 * model's load time inside a minified esbuild bundle, and the size of that bundle. Used by
 * `npm run bench:classifier` and `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createClassifier } from '../lambdas/domain/classifier/classifier.js';
import { decodeModel, type SerialisedModel } from '../lambdas/domain/classifier/model.js';
import { loadAppeals } from '../scripts/classifier/dataset.js';
import { inTemporaryDirectory } from './support/temp-dir.js';

export async function measureClassifier() {
  const root = new URL('..', import.meta.url).pathname;

  // Real appeals of about the training data's median length (within 10 % of it), read from the data set as
  // training reads it (never written anywhere), repeated to 20,000 texts.
  const lengths = loadAppeals().map((appeal) => appeal.text.length);
  const medianLength = [...lengths].sort((a, b) => a - b)[lengths.length >> 1] ?? 0;
  const nearMedian = loadAppeals()
    .map((appeal) => appeal.text)
    .filter((text) => Math.abs(text.length - medianLength) <= medianLength * 0.1);
  const texts = Array.from({ length: 20_000 }, (_, i) => nearMedian[i % nearMedian.length] ?? '');

  const serialised = JSON.parse(readFileSync(join(root, 'model/classifier.json'), 'utf8')) as SerialisedModel;
  const classify = createClassifier(decodeModel(serialised));
  for (const text of texts.slice(0, 2000)) classify(text);
  const started = performance.now();
  for (const text of texts) classify(text);
  const perSecond = texts.length / ((performance.now() - started) / 1000);

  // Bundle the Lambda-facing adapter as CDK's NodejsFunction would, then time its import in a fresh process.
  const { loadMs, bundleBytes } = await inTemporaryDirectory('classifier-bench-', async (dir) => {
    const bundle = join(dir, 'index.mjs');
    await build({
      entryPoints: [join(root, 'lambdas/adapters/classifier-model.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `const t = performance.now(); const m = await import('./index.mjs'); const ms = performance.now() - t;\n` +
        `m.classify('проверка'); process.stdout.write(String(ms));\n`,
    );
    const loads = Array.from({ length: 5 }, () =>
      Number(execFileSync(process.execPath, [probe], { encoding: 'utf8' })),
    );
    return { loadMs: loads.sort((a, b) => a - b)[2] ?? 0, bundleBytes: statSync(bundle).size };
  });
  return { version: serialised.version, perSecond, medianLength, loadMs, bundleBytes };
}
