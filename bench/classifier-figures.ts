/**
 * The classifier's figures: texts per second on one core (texts of the training data's median length), the
 * model's load time inside a minified esbuild bundle, the size of that bundle, and the slowest classification
 * of crafted hostile texts. Used by `npm run bench:classifier` and `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createClassifier } from '../lambdas/domain/classifier/classifier.js';
import { decodeModel, type SerialisedModel } from '../lambdas/domain/classifier/model.js';
import { maskPersonalData } from '../lambdas/domain/classifier/pii.js';
import { loadAppeals } from '../scripts/classifier/dataset.js';
import { inTemporaryDirectory } from './support/temp-dir.js';

/** The slowest a hostile text may take to classify (docs/classifier.md, "Long and hostile texts"). */
export const WORST_CASE_TARGET_MS = 100;

const filled = (unit: string, length: number) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/**
 * Texts written to make the rules slow, each as a citizen could send it: names and commas before a request
 * (the holiday greeting's repeated names), 16,000 characters of one stem joined by hyphens or commas (a rest
 * of a word read across the whole text), of one Latin letter (the e-mail pattern), and the longest message
 * that is kept whole, 4,096 typed characters and 6,000 forwarded, the two parts joined by a blank line.
 */
const HOSTILE_TEXTS: ReadonlyArray<readonly [string, string]> = [
  ["'Друзья, ' × 40 + 'помогите'", `${'Друзья, '.repeat(40)}помогите, в подъезде пахнет газом`],
  ["16,000 of 'светофор-'", filled('светофор-', 16_000)],
  ["16,000 of 'мост,'", filled('мост,', 16_000)],
  ["16,000 of 'займ,'", filled('займ,', 16_000)],
  ["16,000 of 'p'", filled('p', 16_000)],
  ['4,096 typed + 6,000 forwarded', `${filled('светофор-', 4096)}\n\n${filled('мост,', 6000)}`],
];

/**
 * Texts written to make masking personal data slow: a word that names a number, then 10,000 spaces. Unbounded,
 * the spaces around its "№" or ":" were tried at every split of the run (2,000 took seconds).
 */
const HOSTILE_TO_MASKING: ReadonlyArray<readonly [string, string]> = [
  'СНИЛС',
  'полис',
  'ОМС',
  'паспорт',
  'временное свидетельство',
  'ИНН',
  'тел.',
  'договор',
].map((word) => [`'${word}' + 10,000 spaces`, `${word}${' '.repeat(10_000)}конец`]);

/** The slowest of `texts`, each timed as the median of five runs of `work`. */
function worstCase(
  work: (text: string) => unknown,
  texts: ReadonlyArray<readonly [string, string]> = HOSTILE_TEXTS,
): { text: string; ms: number } {
  let worst = { text: '', ms: 0 };
  for (const [name, text] of texts) {
    const times = Array.from({ length: 5 }, () => {
      const started = performance.now();
      work(text);
      return performance.now() - started;
    }).sort((a, b) => a - b);
    const ms = times[2] ?? 0;
    if (ms > worst.ms) worst = { text: name, ms };
  }
  return worst;
}

/** The slowest masking of personal data in a hostile text, the median of five. */
export const measureMasking = () => worstCase(maskPersonalData, HOSTILE_TO_MASKING);

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
  const worst = worstCase(classify);

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
  return { version: serialised.version, perSecond, medianLength, loadMs, bundleBytes, worst };
}
