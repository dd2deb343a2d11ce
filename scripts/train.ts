/**
 * Trains the shipped classifier on every row of the Perm appeals file (after `npm run eval` has measured the
 * same recipe on a held-out split) and writes model/classifier.json.
 * Usage: npm run train [-- path/to/appeals.csv]
 */
import { writeFileSync } from 'node:fs';
import { DATASET_USAGE, datasetArgument, readAppeals } from './classifier/command-line.js';
import { trainModel } from './classifier/train-model.js';
import { RECIPE, withVersion } from './classifier/version.js';

export const MODEL_PATH = new URL('../model/classifier.json', import.meta.url);

const USAGE = `Trains the classifier on every row of the appeals file and writes model/classifier.json, the model the
functions ship with. Measure the same recipe first with npm run eval (docs/classifier.md).

  npm run train [-- <appeals.csv>]

${DATASET_USAGE}`;

const dataset = datasetArgument('train', USAGE);
const started = Date.now();
const appeals = readAppeals('train', dataset);
const model = withVersion(trainModel(appeals, ''), RECIPE);
const json = JSON.stringify(model);
writeFileSync(MODEL_PATH, json);
console.log(
  `trained ${model.version} on ${appeals.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    `${model.terms.split('\n').length} terms, ${(json.length / 1024 / 1024).toFixed(2)} MB, ` +
    `triage below ${model.triageThreshold}, high from ${model.high.threshold}`,
);
