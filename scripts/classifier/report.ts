import { CATEGORIES } from '../../lambdas/domain/taxonomy.js';
import type { CategoryReport } from './metrics.js';
import { TRAINING } from './train-model.js';

export interface EvaluationFigures {
  date: string;
  evaluatedVersion: string;
  shippedVersion: string;
  trainRows: number;
  validationRows: number;
  topicalRows: number;
  trainingSeconds: number;
  report: CategoryReport;
  priority: { precision: number; recall: number; support: number };
  criticalShare: number;
  triageShare: number;
  routedAccuracy: number;
  triageThreshold: number;
  highThreshold: number;
  notInquiries: number;
  validationAll: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** docs/classifier.md: how the classifier works, and the figures of the latest `npm run eval`. */
export function renderReport(f: EvaluationFigures): string {
  const rows = CATEGORIES.map((category) => {
    const s = f.report.perCategory[category];
    return `| \`${category}\` | ${pct(s?.precision ?? 0)} | ${pct(s?.recall ?? 0)} | ${pct(s?.f1 ?? 0)} | ${s?.support ?? 0} |`;
  });
  const confusion = f.report.confusion.map(
    (row, k) => `| \`${CATEGORIES[k]}\` | ${row.map((n) => (n === 0 ? '·' : String(n))).join(' | ')} |`,
  );
  return `# Inquiry classifier

Puts each citizen's text into one category of shared/taxonomy.md, gives it a priority, tells inquiries from
messages that are not inquiries, and says how sure it is. Pure TypeScript in \`lambdas/domain/classifier\`; the
committed model \`model/classifier.json\` is decoded once per container by \`lambdas/adapters/classifier-model.ts\`.

## How it works

1. **Normalisation** (\`normalise.ts\`): HTML tags and entities, VK mentions (\`[club1|Name]\`), links and emoji
   removed; lower case; ё→е; repeated punctuation folded; words and numbers tokenised (numbers become one token).
2. **Not an inquiry** (\`not-inquiry.ts\`): rules, since the training data holds none: nothing but emoji or
   punctuation; nothing but greetings and courtesy words; a thank-you note with no complaint or request in it
   (no question mark, negation, "when", "why", "please help", "still", "again"…); advertising (strong cues
   such as casinos, "passive income", "write in DM", or two weaker ones like "sell" + "discount"); pure abuse
   (every word an insult or a filler word). Checked by \`test/fixtures/classifier/not-inquiries.jsonl\` and by
   inquiries that must stay inquiries (\`inquiries.jsonl\`). Such messages get \`inquiry: false\`, category
   \`other\`, priority \`normal\`, no triage.
3. **Features** (\`features.ts\`): Snowball stems (\`@nlpjs/lang-ru\`'s Russian stemmer) and stem bigrams;
   character 3–5-grams of whole words (typos, unseen inflections, compounds); hand-written category cues
   (\`lexicon.ts\`) for region-independent vocabulary and for the categories with little data. Sublinear tf × idf,
   each group L2-normalised on its own. ${TRAINING.vocabulary.maxTerms.toLocaleString('en')} most frequent terms kept.
4. **Category**: multinomial logistic regression (softmax), seeded SGD, L2, class weights
   (largest class / class)^${TRAINING.balance}. Chosen over a linear SVM because it gives probabilities, which
   the confidence and the triage threshold need, at the same cost: scoring is one sparse dot product per
   category, the model is a few MB of signed-byte weights and decodes in tens of milliseconds.
5. **Priority**: \`critical\` from rules for danger to life, health or property (\`critical.ts\`: gas, burst
   pipes and flooding, open manholes, no heating in the cold, a person in danger, an ambulance not coming,
   fire, live wires, collapse); otherwise \`high\` from a logistic regression trained on the rows that have a
   fine topic (\`★\` topics against the rest); otherwise \`normal\`.
6. **Confidence and triage**: the confidence is the top softmax probability. \`triage: true\` below a threshold
   chosen from data: training sets aside ${pct(TRAINING.calibrationShare)} of its rows (stratified), fits on the
   rest, and takes the lowest confidence above which those calibration rows are at least
   ${pct(TRAINING.routedAccuracy)} correct. The \`high\` threshold is chosen on the same rows, as the lowest
   at which the rows it flags are still at least ${pct(TRAINING.highPrecision)} \`★\` rows (most recall
   the precision floor allows). Then it refits on all its rows and keeps
   both thresholds. The validation split below is never used for any choice.
7. **Personal data** (\`pii.ts\`, \`maskPersonalData\`): phones → \`[телефон]\`, e-mails → \`[email]\`, passports →
   \`[паспорт]\`, SNILS → \`[снилс]\`, bank cards → \`[карта]\`; dates, house numbers and sums stay.

Training (\`npm run train\`) is deterministic (seed ${TRAINING.seed}) and takes about a minute on one core.
**The shipped model is retrained on every row of the file** after evaluation; the figures below are for the same
recipe trained on the training part only.

## Evaluation (${f.date})

- Evaluated model: \`${f.evaluatedVersion}\` (training part: ${f.trainRows} rows incl. unlabelled, trained in
  ${f.trainingSeconds.toFixed(0)} s). Shipped model: \`${f.shippedVersion}\`.
- Validation: 15% of the file, stratified by category, fixed seed; ${f.validationRows} labelled rows for the
  category, ${f.topicalRows} rows with a fine topic for the priority.

| measure | value | target |
|---|---|---|
| accuracy | ${pct(f.report.accuracy)} | ≥ 85% |
| macro-F1 | ${pct(f.report.macroF1)} | ≥ 65% |
| priority recall (\`high\`/\`critical\` vs \`★\`) | ${pct(f.priority.recall)} | ≥ 85% |
| priority precision | ${pct(f.priority.precision)} | ≥ 60% |
| share marked \`critical\` (rows with a topic) | ${pct(f.criticalShare)} | |
| sent to triage (threshold ${f.triageThreshold}) | ${pct(f.triageShare)} | |
| accuracy of the rest, routed automatically | ${pct(f.routedAccuracy)} | |
| validation rows (all real inquiries) taken for not-inquiries | ${f.notInquiries} of ${f.validationAll} | |

\`high\` threshold: ${f.highThreshold}.

### Per category

| category | precision | recall | F1 | support |
|---|---|---|---|---|
${rows.join('\n')}

### Confusion matrix (rows: actual, columns: predicted)

| | ${CATEGORIES.map((c) => c.slice(0, 5)).join(' | ')} |
|---|${CATEGORIES.map(() => '---').join('|')}|
${confusion.join('\n')}

Speed, load time and bundle size: \`npm run bench:classifier\` (texts/s on one core, the model's load time in a
minified esbuild bundle of \`lambdas/adapters/classifier-model.ts\`, and that bundle's size).

## Limits

- Labels were set by operators and are noisy; short follow-ups ("Здравствуйте", "Да") carry a category only
  through their thread, which the text alone cannot show.
- Categories with a few dozen rows (ecology, economy, construction, other) rest mostly on the cue lexicon.
- Other regions' wording was not available: stems, character n-grams and the lexicon are the defence.
`;
}
