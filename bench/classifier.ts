/**
 * Classifier benchmark: texts per second on one core (texts of the training data's median length), the
 * model's load time inside a minified esbuild bundle, the size of that bundle, and the slowest hostile texts to
 * classify and to mask personal data in.
 * Usage: npm run bench:classifier
 */
import { measureClassifier, measureMasking, WORST_CASE_TARGET_MS } from './classifier-figures.js';
import { benchArguments } from './support/command-line.js';

benchArguments(
  'bench:classifier',
  `The classifier benchmark (docs/classifier.md): texts per second on one core, the model's load time inside a
minified bundle, the size of that bundle, and the slowest hostile texts to classify and to mask personal data
in. Prints the figures; bench/results/ is left as it is.

  npm run bench:classifier`,
);

const { version, perSecond, medianLength, loadMs, bundleBytes, worst } = await measureClassifier();
console.log(`classifier ${version}`);
console.log(
  `throughput: ${Math.round(perSecond)} texts/s on one core (median text ${medianLength} chars; target ≥ 5000)`,
);
console.log(`model load in the bundle: ${loadMs.toFixed(1)} ms (median of 5 cold imports; target ≤ 100)`);
console.log(
  `bundle of lambdas/adapters/classifier-model.ts: ${(bundleBytes / 1024 / 1024).toFixed(2)} MB (model inlined)`,
);
console.log(
  `slowest hostile text: ${worst.ms.toFixed(1)} ms (${worst.text}; median of 5; target ≤ ${WORST_CASE_TARGET_MS})`,
);
const masking = measureMasking();
console.log(
  `slowest masking of a hostile text: ${masking.ms.toFixed(1)} ms (${masking.text}; median of 5; target ≤ ${WORST_CASE_TARGET_MS})`,
);
