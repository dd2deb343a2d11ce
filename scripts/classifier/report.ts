import { RULE_CONFIDENCE } from '../../lambdas/domain/classifier/classifier.js';
import { FEATURES } from '../../lambdas/domain/classifier/features.js';
import { CATEGORIES } from '../../lambdas/domain/taxonomy.js';
import { FOLLOW_UP_WORDS, type LabelAgreement, NEAR } from './agreement.js';
import type { Measurement } from './measure.js';
import { TRAINING } from './train-model.js';

/** What `npm run eval` measured (measure.ts), with when and on what. */
interface EvaluationFigures extends Omit<Measurement, 'model' | 'labelledRows' | 'heldAll'> {
  date: string;
  evaluatedVersion: string;
  shippedVersion: string;
  trainRows: number;
  validationRows: number;
  triageThreshold: number;
  highThreshold: number;
  validationAll: number;
  /** Operators' agreement on the training part's texts that are the same or nearly so. */
  agreement: LabelAgreement;
  /** The same recipe trained on the rows naming no town but Perm, measured on those naming another. */
  towns: Pick<
    Measurement,
    'labelledRows' | 'topicalRows' | 'report' | 'priority' | 'tradeOff' | 'ruledTradeOff' | 'ruledCategories'
  > & {
    trainRows: number;
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The accuracy the classifier is asked for on the validation split. */
const ACCURACY_TARGET = 0.85;

/** The Wilson score interval (95%) of a proportion of `k` in `n`. */
function wilsonInterval(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** docs/classifier.md: how the classifier works, and the figures of the latest `npm run eval`. */
export function renderReport(f: EvaluationFigures): string {
  const agreed = f.agreement.agreeing / Math.max(1, f.agreement.pairs);
  const [agreedLow, agreedHigh] = wilsonInterval(f.agreement.agreeing, f.agreement.pairs);
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
A file that is no model of the recipe the code scores (\`MODEL_RECIPE\` in \`model.ts\`: a model's version starts
with it), or that lacks a field or holds one of the wrong type, is refused there with a \`ModelFileError\` naming
the fault, and the function scores nothing (docs/runbook.md, "[A classifier that refuses its
model](runbook.md#a-classifier-that-refuses-its-model)"): such a file used to score every text, wrongly and in
silence (without \`triageThreshold\`, no text went to triage).

## How it works

1. **Normalisation** (\`normalise.ts\`): HTML tags and entities, VK mentions (\`[club1|Name]\`), links and emoji
   removed; lower case; ё→е; Russian typed in Latin letters ("pahnet gazom v podezde") turned into Cyrillic,
   when the text has no Cyrillic letter and more of its words are Russian function words or end as Russian
   words do than are English ones (\`transliteration.ts\`; e-mail addresses kept); Latin letters that look like
   Cyrillic ones (a, e, o, p, c, x, y and the capitals B, H, K, M, T) read as Cyrillic inside a Cyrillic word
   ("пaхнет"), and so are words of such letters alone in a mostly Cyrillic text ("HET CBETA"), but not
   handles, file names, English or brands ("Wi-Fi", "MEGA"); a letter held three times or more folded to
   one ("пахнееет", "искриииит"; a word of one letter repeated, "ООО", and "СССР" kept); repeated
   punctuation folded; words and numbers tokenised (numbers become one token).
2. **Not an inquiry** (\`not-inquiry.ts\`): rules, since the training data holds none: nothing but emoji,
   punctuation, hashtags or mentions; nothing but greetings, holiday wishes, courtesy words, applause,
   agreement or laughter (thanks in Tatar, Ukrainian and Belarusian too: "Рахмат зур!", "Дякую", "Дзякуй"),
   in any of their forms (matched by stem: "шикарная" as "шикарно"), exclamations ("ничего себе") and names with
   patronymics among them; a holiday greeting, whoever it names, followed by wishes alone; a thank-you note
   or praise ("Молодцы, что…") with no complaint or request in it (no question mark, negation, "when",
   "why", "please help", "still", "again"…);
   advertising (strong cues such as casinos, "passive income", "write in DM", or two weaker ones like
   "sell" + "discount"); likes-and-reposts bait where nothing is asked (a complaint may quote it); pure
   abuse (every word an insult or a filler word). Checked by \`test/fixtures/classifier/not-inquiries.jsonl\` and by
   inquiries that must stay inquiries (\`inquiries.jsonl\`). Such messages get \`inquiry: false\`, category
   \`other\`, priority \`normal\`, no triage. What the rules do not name stays an inquiry, so a message
   they miss is never dropped unseen: the model is rarely sure of a short reaction, and triage gets it.
3. **Features** (\`features.ts\`): Snowball stems (\`@nlpjs/lang-ru\`'s Russian stemmer) and stem bigrams;
   character ${FEATURES.minGram}–${FEATURES.maxGram}-grams of whole words padded as \`_word_\` (typos, unseen
   inflections, compounds); hand-written category cues (\`lexicon.ts\`) for region-independent vocabulary and
   for the categories with little data. Sublinear tf × idf (idf also over the rows without a category), each
   group L2-normalised on its own. The ${TRAINING.vocabulary.maxTerms.toLocaleString('en')} most frequent terms
   are kept (a word in at least ${TRAINING.vocabulary.minWordDocs} texts, a character n-gram in at least
   ${TRAINING.vocabulary.minCharDocs}).
4. **Category**: one-vs-rest linear SVMs (L2-regularised squared hinge, C = ${TRAINING.svm.c}) solved exactly by
   dual coordinate descent, liblinear's solver: no learning rate, no epochs to guess, the same optimum for the
   same rows. A category's own rows weigh (largest category / category)^${TRAINING.balance} in its problem. To
   their margins is added complement naive Bayes over the same features (\`naive-bayes.ts\`: −log P(term |
   the other categories), tf-idf mass smoothed by ${TRAINING.naiveBayes.alpha}, uniform priors; Rennie et al. 2003), which
   weighs every term's evidence where the SVMs lean on the few terms that separate the training rows. Its
   share (at most ${TRAINING.naiveBayes.maxShare}) and the temperature of softmax(temperature × margin) are fitted together
   for least log-loss on the calibration rows (below). Then each category's margin is shifted so that its
   probability is divided by its share of the training rows to the power ${TRAINING.priorCorrection}: the margins under-call
   the thin categories, and this evens them out a little. A sum of linear models is one linear model, so the
   model file holds a single weight matrix and scoring is one sparse dot product per category over
   signed-byte weights; the model file holds the vocabulary as one string and the weights as base64 bytes,
   so it decodes quickly.
   Where the file cannot teach a category, a rule names it instead of the model (\`category-rules.ts\`, with
   the rules' confidence, ${RULE_CONFIDENCE}): mobile coverage, the internet, TV and fixed lines for \`telecom\`
   (Perm's \`telecom\` rows are questions about the appeals service, below), emissions and exceeded limits,
   discharges into water, dead fish, oil on water and shores, and smoke, soot or stench that a sentence lays on a
   plant, a mill or an industrial zone for \`ecology\` (14 rows in the whole file). The vocabulary is
   taxonomy.md's, narrow enough to name the category itself and kept from the words that only look alike
   ("нет связи с УК", "в связи с", "обратная связь", "не смог", Perm's district "ПДК", a boiler house's
   chimney); checked by \`thin-categories.jsonl\` and
   \`not-thin-categories.jsonl\`.
5. **Priority**: \`critical\` from rules for danger to life, health or property (\`critical.ts\`: gas, burst
   pipes and flooding, open manholes, no heating in the cold, a person in danger, an ambulance not coming,
   fire, live wires, collapse and roads that caved in; each in the word orders and forms citizens use; and a
   hazard named by what it is (smoke, gas, fuel, mercury, wires, steam, a cracked slab, a pit, a wild animal,
   a weapon, a reckless driver) in one sentence with people exposed to it now (children playing there,
   people under it, a full bus, someone choking, a wait that goes on), which reaches wordings no rule
   names; all
   kept from the words that only look alike: "пожарный проезд" is no fire, nor is slang "огонь" or an
   eternal flame, a tick's bite is no dog's, snow falling from a roof
   is the icicles theme unless it fell on someone; checked by \`critical.jsonl\` and \`not-critical.jsonl\`).
   Otherwise \`high\` when a rule names a shortened-deadline theme
   (\`priority-rules.ts\`: snow and ice not cleared, icicles and roof leaks, refuse not collected, street
   lights out, open manholes, flooding, blocked sewers, broken playground equipment, dangerous trees, medical
   help refused or not coming; vocabulary written from taxonomy.md and the names of the \`★\` topics, so that
   it carries over to other regions' wording) or when a linear SVM of \`★\` topics against the rest (C =
   ${TRAINING.high.c}, \`★\` rows weighted up to balance the classes), trained on the rows that have a fine
   topic, scores at or above a threshold, its margin turned into a probability by Platt scaling on the
   calibration rows. Otherwise \`normal\`.
   The router applies the rules of this step, the danger rules and the themes, and no other (not the model),
   to a citizen's message that reaches it without a classification it can read
   (\`lambdas/domain/unclassified.ts\`; docs/runbook.md, "[A classifier that refuses
   its model](runbook.md#a-classifier-that-refuses-its-model)"): such a message goes to triage, \`critical\`
   where the danger rules speak, \`high\` where a theme does, each on its priority's deadline. An edit's new
   words without one are given the same where the rules speak, and are otherwise taken as an older
   release's edit, which carries none.
6. **Confidence and triage**: the confidence is the top category probability. \`triage: true\` below a
   threshold chosen from data: training sets aside ${pct(TRAINING.calibrationShare)} of its rows (stratified),
   fits on the rest, and takes the lowest confidence above which those calibration rows are at least
   ${pct(TRAINING.routedAccuracy)} correct. The \`high\` threshold is chosen on the same rows: the highest at
   which \`high\` (the rules' rows always included) finds ${pct(TRAINING.highRecall)} of the \`★\` rows, lowered
   further while the rows it flags are still at least ${pct(TRAINING.highPrecision)} \`★\` rows. Then it refits on
   all its rows and keeps the calibration and both thresholds. The validation split below is used for no
   choice of the model (one of the not-an-inquiry rules was taken back after it, see the limits); the settings
   were compared on an inner split of the training part (\`scripts/inner.ts\` for the whole recipe with its
   rules and thresholds, \`scripts/tune.ts\` for the models alone).
7. **Personal data** (\`pii.ts\`, \`maskPersonalData\`): phones → \`[телефон]\` (a short city number after a word
   for one: "домашний 234567"), e-mails → \`[email]\` (also "ivanov собака mail.ru", "ivanov(at)mail.ru",
   "ivan[at]mail[.]ru", "ivan собака mail точка ru" before a common top-level domain, a punycode domain),
   passports → \`[паспорт]\`, SNILS → \`[снилс]\` (eleven digits in a row with no word for it only when its control
   sum holds), bank cards → \`[карта]\`, car plates → \`[госномер]\`, a person's taxpayer number (12 digits after
   "ИНН") → \`[инн]\`, health insurance policies (15 or 16 digits after "полис" or "ОМС", a temporary
   certificate's 9 after its words) → \`[полис]\`, bank accounts (20 digits) → \`[счет]\`; dates, house numbers,
   sums, organisations' numbers and a number after the word for a utility account, a meter, a contract, an ОГРН
   or a request ("ЛС 9171234567", "счетчик № 9171234567", "договор 7812 345678") stay, and a phone written after
   that number is masked. The digits may be grouped by any space or dash (a no-break or thin space, an en dash),
   and a phone's zero typed as a letter O ("8 912 1O5-45-67", "8 912 123 45 6O"). It is not a step of
   classification and no production path calls it: nothing the system logs, counts or e-mails carries a
   citizen's words; text exported from the system later must pass through it.

Training (\`npm run train\`) is deterministic (seed ${TRAINING.seed}) and takes one to two minutes on one core.
**The shipped model is retrained on every row of the file** after evaluation; the figures below are for the same
recipe trained on the training part only.

## Evaluation (${f.date})

- Evaluated model: \`${f.evaluatedVersion}\` (training part: ${f.trainRows} rows incl. unlabelled, trained in
  ${f.trainingSeconds.toFixed(0)} s). Shipped model: \`${f.shippedVersion}\`.
- Validation: 15% of the file, stratified by category, fixed seed; ${f.validationRows} labelled rows for the
  category, ${f.topicalRows} rows with a fine topic for the priority.

| measure | value | target |
|---|---|---|
| accuracy | ${pct(f.report.accuracy)} | ≥ ${ACCURACY_TARGET * 100}% |
| macro-F1 | ${pct(f.report.macroF1)} | ≥ 65% |
| accuracy on texts of ≤ ${FOLLOW_UP_WORDS} words (${f.byLength.followUps.rows} rows) / on the rest (${f.byLength.rest.rows}) | ${pct(f.byLength.followUps.accuracy)} / ${pct(f.byLength.rest.accuracy)} | |
| priority recall (\`high\`/\`critical\` vs \`★\`) | ${pct(f.priority.recall)} | ≥ 85% |
| priority precision | ${pct(f.priority.precision)} | ≥ 60% |
| share marked \`critical\` (rows with a topic) | ${pct(f.criticalShare)} | |
| sent to triage (threshold ${f.triageThreshold}) | ${pct(f.triageShare)} | |
| accuracy of the rest, routed automatically | ${pct(f.routedAccuracy)} | |
| validation rows (all real inquiries) taken for not-inquiries | ${f.notInquiries} of ${f.validationAll} | |
| labelled rows whose category a rule named (\`telecom\`, \`ecology\`) | ${f.ruledCategories.rows}, ${f.ruledCategories.right} of them right | |

How consistent the labels themselves are: of the ${f.agreement.pairs} pairs of training texts (more than
${FOLLOW_UP_WORDS} words) that are the same or share at least ${pct(NEAR)} of their words, the operators gave
${pct(agreed)} the same category (\`scripts/classifier/agreement.ts\`; so few pairs make the figure rough: a 95%
interval of ${pct(agreedLow)}–${pct(agreedHigh)}). A model of the text alone can hardly agree with the labels
more often than they agree with themselves${agreedLow <= ACCURACY_TARGET && ACCURACY_TARGET <= agreedHigh ? ', and the accuracy target lies within that interval' : ''}.

The category rules are no unseen measure here: their \`ecology\` vocabulary was written after reading all 14
\`ecology\` rows of the file, this split's among them. With ${f.report.perCategory.ecology?.support ?? 0} \`ecology\` rows in the split, one row moves
macro-F1 by about four points; the hand-written phrasings of \`thin-categories.jsonl\` are their measure.

\`high\` threshold: ${f.highThreshold}. The theme rules (and danger rules) flag ${pct(f.ruled.share)} of the rows
with a topic, ${pct(f.ruled.precision)} of them \`★\` rows. What could be reached on these rows at any threshold
(for the record; the threshold is chosen in training): the \`★\` score alone, recall
${pct(f.tradeOff.recallAtPrecision)} at precision ≥ ${pct(TRAINING.highPrecision)} or precision
${pct(f.tradeOff.precisionAtRecall)} at recall ≥ ${pct(TRAINING.highRecall)}; rules or score, recall
${pct(f.ruledTradeOff.recallAtPrecision)} at precision ≥ ${pct(TRAINING.highPrecision)} or precision
${pct(f.ruledTradeOff.precisionAtRecall)} at recall ≥ ${pct(TRAINING.highRecall)}.

### Towns the model has not read

Other regions' appeals were not available. The nearest stand-in: the training part's rows that name a town of
the krai other than Perm (Berezniki, Lysva, Gubakha, Solikamsk…, \`scripts/classifier/towns.ts\`) are held out, and
the recipe is trained on the other ${f.towns.trainRows} rows, so that those towns' places, bodies and local
wording are unread. The validation split is not used.

| measure | towns held out | validation split |
|---|---|---|
| rows with a category / with a topic | ${f.towns.labelledRows} / ${f.towns.topicalRows} | ${f.validationRows} / ${f.topicalRows} |
| accuracy | ${pct(f.towns.report.accuracy)} | ${pct(f.report.accuracy)} |
| macro-F1 | ${pct(f.towns.report.macroF1)} | ${pct(f.report.macroF1)} |
| priority recall / precision | ${pct(f.towns.priority.recall)} / ${pct(f.towns.priority.precision)} | ${pct(f.priority.recall)} / ${pct(f.priority.precision)} |
| \`★\` score alone: recall at precision ≥ ${pct(TRAINING.highPrecision)} | ${pct(f.towns.tradeOff.recallAtPrecision)} | ${pct(f.tradeOff.recallAtPrecision)} |
| rules or score: recall at precision ≥ ${pct(TRAINING.highPrecision)} | ${pct(f.towns.ruledTradeOff.recallAtPrecision)} | ${pct(f.ruledTradeOff.recallAtPrecision)} |
| category named by a rule: rows, right | ${f.towns.ruledCategories.rows}, ${f.towns.ruledCategories.right} | ${f.ruledCategories.rows}, ${f.ruledCategories.right} |

### Per category

| category | precision | recall | F1 | support |
|---|---|---|---|---|
${rows.join('\n')}

### Confusion matrix (rows: actual, columns: predicted)

| | ${CATEGORIES.map((c) => c.slice(0, 5)).join(' | ')} |
|---|${CATEGORIES.map(() => '---').join('|')}|
${confusion.join('\n')}

Speed, load time and bundle size: \`npm run bench:classifier\` (texts/s on one core, the model's load time in a
minified esbuild bundle of \`lambdas/adapters/classifier-model.ts\`, that bundle's size, and the slowest of a set
of hostile texts, below).

### Long and hostile texts

Every text is read by all the rules, so no text may make them slow. A rule reads at most 40 characters as the
rest of a word (\`\\S*\` is compiled as \`\\S{0,40}\`, \`\\S+\` as \`\\S{1,40}\`: \`wordPattern\` and \`boundWordTails\` in
\`word-pattern.ts\`; Russian words with their endings are far shorter): unbounded, "the rest of the word" ran
across a whole text joined by commas or hyphens from every place a stem occurs in it, and 16,000 characters of
\`мост,\` took 7.5 s on this machine. No repeated part of a rule can match the same text in two ways (the
holiday greeting's \`друзья\\S*,? \` did: "Друзья, " thirty times before "помогите" took some 20 s, doubling with
each name). Tests check both shapes on every compiled rule (\`test/unit/classifier/pattern-shape.test.ts\`). On
the 15,049 rows of the training file the bounds change no rule's answer, no cue and no normalised text, and the
model retrains to the same version.

The classifier reads at most 20,000 characters of a message's words (\`classified-length.ts\`): a message
holds at most 4,096 typed characters and keeps 6,000 passed on, so only transcripts of long voice messages or a
long post can pass it. Past it, each part (the typed text, each transcript, each message passed on) keeps its
start, a short part whole and the long ones cut to even shares, so that a danger named early in any part still
counts; the operator still reads the message whole. \`npm run bench:classifier\` reports the slowest
\`classify()\` of crafted texts (names and commas before a request; 16,000 characters of \`светофор-\`, \`мост,\`,
\`займ,\`, \`p\`; a message of 4,096 typed and 6,000 forwarded characters): target ≤ 100 ms each.

A warm classifier keeps what it worked out of a word, its stem and its n-grams' ids, so that the words citizens
reuse are worked out once: at most 50,000 words each (emptied when full), and none longer than 40 letters
(\`word-cache.ts\`), which no citizen writes twice; a run of letters, or of words joined by hyphens, of up to the
20,000 characters classified is worked out anew each time. The Snowball stemmer's own cache, which kept every
word for good, is not used (\`stem.ts\`). What the classifier holds stays flat however many texts it reads
(\`npm run bench:classifier-heap\`).

## Limits

- Labels were set by operators and are noisy (their agreement with themselves, above); short follow-ups
  ("Здравствуйте", "Да") carry a category only through their thread, which the text alone cannot show: texts
  of ${FOLLOW_UP_WORDS} words or fewer are ${pct(f.byLength.followUps.accuracy)} right. In the product, a citizen's follow-up in an open
  conversation joins that conversation's inquiry and keeps its category (a more urgent one raises its
  priority); only the first message is classified on its own. Within the first minutes, while no one has
  acted on the inquiry, the earliest message of the burst that the model is sure of (and a rule routes)
  routes it, so a vague first message does not keep it in triage (docs/inquiries.md, "[A burst of messages out of order](inquiries.md#a-burst-of-messages-out-of-order)").
- Categories with a few dozen rows (ecology, economy, construction, other) rest mostly on the cue lexicon.
- Perm's \`telecom\` rows are not about phones or the internet: all that have a topic are
  \`★ Информационно-техническая поддержка\`, questions about the appeals service itself ("when will I get an
  answer?", "how do I reach the press office?"). The model learnt that meaning, and the file holds next to no
  complaints about coverage or the internet to learn the other from: the model alone put 1 of 24 hand-written
  coverage and pollution complaints in its category (most went to triage at about 0.2–0.4 confidence, some
  confidently elsewhere, "провайдер отключил интернет всему подъезду" to housing at 0.97). The category rules
  above answer those; a text that names both a coverage failure and another subject ("света нет, МТС перестал
  работать") goes to \`telecom\`, since a rule cannot weigh which one the citizen meant. The \`ecology\` rules
  were measured on pollution complaints written after them and not used to change them: 7 of 10 named, and
  5 of 6 look-alikes left alone; the one they named, "автобус до завода переполнен… в салоне вонь", put
  a plant and a stench in one sentence, and a plant named as where one goes no longer counts as the smell's
  source. On the file's 15,049 rows they fire no more often than before.
  The \`telecom\` rules, on 10 complaints written the same way: 7 named (missed: TV channels gone after a
  storm, a tower wanted, a school's wi-fi, which went to \`education\`), and 6 of 6 look-alikes left alone.
  A second set of 10, written later: 5 named, 6 of 6 look-alikes left alone; the rules then learnt channels
  gone in either word order, analogue TV and set-top boxes, a tower wanted (not a lifeguards' or a
  floodlight's) and "без связи", and name 9 of them. A school's wi-fi is left to the model (it went to
  \`health\` this time): whether operators would file it under \`education\` or \`telecom\` is not clear.
- The danger rules miss what their words do not name. Eight sets of 12 dangers, phrased as other regions'
  citizens might, each written before the rules were widened for the ones before it: they found 8, 7, 6,
  3, 4, 2, 7 and 4 of 12 (41 of 96), most misses being dangers no rule yet named (an open transformer box,
  a drunk driver, a child fallen from a window, a burning dump, water through a light fitting); 34 of the
  55 they missed were still marked \`high\`. None of the 52 harmless look-alikes written with them was
  marked \`critical\`. Every such phrasing is now in \`critical.jsonl\` save nine: something hanging or
  sliding over people (cladding, a cracked canopy, a slab of snow), rebar that cut a child, a drowning, a
  crumbling bank where children play, dogs that chased a child up a tree, a pedestrian already hit, a
  neighbour who does not answer. On the file, the widened rules mark 233 rows instead of 214: burst
  sewers, steam from basements, roads that caved in, ambulances still not come. Every rule is matched from
  the start of a word, so "безопасность для жизни" no longer reads as "опасность для жизни".
  Five more sets, written to name dangers of kinds no rule knew, found 2 of 11, 0 of 12, 2 of 12 and 0 of
  12 by the named rules alone: naming dangers one by one does not carry far. So a rule now looks for a
  hazard named by what it is beside people exposed to it now; as first written, it found 5 of the fourth
  set's 12, and with it the rules found 4 of the fifth set's 12, written after it. Of the misses of these
  five sets, 36 of 51 were still marked \`high\`, and none of their 31 look-alikes was marked \`critical\`.
  A sixth set, of the dangers citizens report most (gas, fire, wires, burst mains, no heating in the frost,
  falls), written after all of this: 8 of 12 found, none of its 8 look-alikes marked \`critical\`; the four
  missed (a burst water main, a man smashing cars with a bat, a lift's doors open onto the shaft, a drunk
  man asleep at a stop in the frost) are named since. The hazard-beside-people rule was also tried on 16
  ordinary complaints written to put a hazard's word beside people ("жильцы ходят мимо трещины", "люди
  стоят в очереди за газом"): it marked 8 of them \`critical\` until people merely walking or sitting by
  stopped counting, then 2 (cables hanging over a playground, smoke in a bus), and other rules 3 more
  (smoke from a neighbour's cigarettes or from burning leaves drifting into windows, a switchboard without
  its door); on the file it marks no row that another rule does not. Smoke made on purpose (cigarettes,
  a hookah, a barbecue, a stove, leaves burnt) has since stopped counting unless the fire is lit indoors:
  of 8 such complaints written for it, the rules had marked 7 \`critical\`, and now none (nor the smoke in
  the bus); of 6 smoke dangers written with them, they had missed 2 ("из подвала идет дым", smoke out of a
  chute), and now find all 6 and a fire lit in an attic. The cables over the playground were an internet
  provider's: low-voltage cables (the internet, the phone, the intercom) no longer count as a hazard.
  Named since (and fixtures): a river at the doors, a man luring children into his car, an overturned fuel
  tanker, glass thrown onto a playground, a widening crack in a wall, petrol in a stairwell, a missing man
  with dementia. A seventh set of 12 everyday dangers, written later: 5 found, none of its 8 look-alikes
  marked. The rules then learnt someone hurt on something sharp that sticks out (rebar, nails, glass), a
  crash or a near miss where the traffic lights are out, a bus with people in a ditch, people on ice that
  cracks, someone fallen who does not get up or who bleeds badly, and 14 degrees or less where children
  spend the day; they find 11 (not "no insulin in the chemists"). Of 21 look-alikes written for these rules
  ("не встаёт с кровати", "трещины на льду катка", "дети могут травмироваться"), they marked 2 as first
  written: "светофор не работает… ДТП пока не было", since told apart, and a contrived "в школе 5 градусов
  было утром на улице", left. Still unnamed, and left out of the fixtures: cigarette ends smouldering on
  balconies, no insulin in the chemists, a swallowed battery and no car to the hospital, no water for the
  bedridden, a school bus stuck in a blizzard, electric heating cut off in the frost, leaking barrels by a
  beach. Two more are named but left out, since the \`ecology\` rules also name them: acrid smoke from a
  vent, tap water smelling of chemicals that made a child sick.
  Then 40 dangers and 30 look-alikes written by someone who had not read the rules, as citizens of other
  regions might: 24 of 40 found (10 of the 16 missed still \`high\`), and one look-alike marked, a drowning
  last summer cited to ask for a fence. The rules then learnt gas smelt "как будто", carbon monoxide from a
  stove, all ambulance crews busy and "скорой нет" after a time, people injured or trapped, a beating going
  on, a lost child, tap water that made people ill, a wild animal by a school, fumes with their symptoms
  (eyes, cough, headache), smoke filling a home, a smell of burning, a footbridge giving way, a slab coming
  off; a drowning long past, injuries someone supposes or read of, smoke from industry, a sauna or cooking
  no longer count. The dot of an abbreviation ("ул. Суворова") no longer ends a sentence for the rules (the
  model's tokens are the same on every row of the file). They find all 40 and mark none of the 30; of 13
  more look-alikes written to probe the new words, they marked 2 (a drowning in 2019, injuries in the
  news), since told apart.
  A second such set, written after all of that by someone who had not read the rules either: 36 dangers
  and 24 look-alikes. The rules found 23 of the 36 (7 of the 13 missed still \`high\`) and marked 4
  look-alikes: a burst pipe mended last month, a fire three years ago, a leak detector, a lesson on what to
  do "при пожаре". They then learnt that danger told as long past ("в прошлом месяце", "три года назад") is
  over, and ice jams and homes about to flood, unsafe ice under people or cars, a threat to jump from a
  height, small children left alone, oxygen running out, failing brakes on a bus, a gas service that does
  not come, a petrol smell in a home, stairs that gave way, swaying bridges and snapped cables, a road
  washed into a pit, a blocked emergency exit with people behind it; they find 35 of the 36 (not
  scaffolding that sways in one sentence with people walking under it in the next) and mark none of the
  24, nor 11 of 12 look-alikes written to probe the new words (the twelfth, a parachute jump, since told
  apart). On the file, the rules mark 243 rows (240 before): in the training part, a piece of a kitchen
  ceiling fallen, and an ambulance that will not come to two old people who cannot walk.
  The theme rules and the \`★\` score carried over better: of 20 shortened-deadline complaints written the
  same way (snow, icicles, leaks, refuse, lights, sewers, trees, playgrounds, refused care), \`high\` found
  all 20, and marked 3 of 16 ordinary requests \`high\` too ("почему подняли тариф на вывоз мусора?").
- Short reactions are an open class. Of the not-inquiries written in four sets, each before the rules were
  widened for the ones before it, the rules named 10 of 15, 6 of 14, 4 of 13 and 5 of 12 ("Ого, круто!",
  "Лайк", "Полностью согласна!" were missed); of the 29 they missed, 28 went to triage and one, "С
  Рождеством Христовым, дорогие земляки!", to a department. None of the 33 inquiries written with them
  (thanks with a complaint, abuse with a request, "Лайк если тоже нет горячей воды") was taken for a
  not-inquiry, and on the file's training part they flag the same 105 of 12,790 rows as before. A greeting
  with a question mark ("Здравствуйте?") stays an inquiry: it is a reminder. A fifth set, written later: 6 of
  15 named; of the 9 missed, 8 went to triage and "Это просто позор какой-то" to a department; none of its
  8 inquiries ("Молодцы, а тротуар когда отремонтируете?", "+ у нас тоже нет света") was lost. Praise that
  says what for ("Молодцы, что быстро сделали") now reads as thanks, and a town's birthday, "замечательная
  новость" and "какой-то" as courtesy or filler: 12 of the 15 named, the training part's 105 flagged rows
  unchanged. A sixth set, written later: 4 of 16 named, the other 12 to triage; none of its 10 inquiries
  lost. The rules then learnt a holiday greeting whoever it names ("С праздником, дорогие медики!"),
  followed by wishes alone; exclamations and assent whose words alone could ask for something ("ничего
  себе", "так держать", "подписываюсь под каждым словом"); an official praised ("Глава у нас лучший!"),
  sarcasm ("Ага, конечно, верим"), a friend tagged ("[id…|Марина], смотри!"), someone addressed by name and
  patronymic; a link "in the profile". They name all 16, and the fifth set's "Вот это да" and "Мэр лучший!"
  too. Of 14 inquiries written to look like them ("Иван Петрович, помогите!", "С днём рождения, Пермь!
  Почистите снег на набережной"), the greeting rule as first written took 2 for greetings; since it asks
  for wishes alone after the greeting and no request in the imperative, all 14 stay inquiries. The
  training part's flagged rows are the same 105.
  Then 45 reactions and 35 inquiries written by someone who had not read the rules: 16 of 45 named (of the
  29 missed, 27 went to triage, and a New Year greeting and a chat about barbecues to a department), and 1
  of 35 inquiries lost ("Молодцы, красиво отчитались… Верните нормальный интервал"). The rules then learnt
  greetings that start "Поздравляю всех медиков" or "Всех мужчин с 23 февраля", thanks after a name and
  patronymic or a few courteous words ("Какие вы молодцы"), more praise and laughter ("ору"), ads for
  crypto, jobs, giveaways and sales; a request in the imperative, "а у нас" and "отказ" now read as a
  complaint. They name 34 of the 45 and lose none of the 35; of 16 more inquiries written to probe them,
  they lost 2 (praise, then "а у нас мусор неделю лежит") until "а у нас" counted. The training part's
  flagged rows are the same 105. A second set of 40 reactions and 30 inquiries, written after that: 15 of
  40 named (21 of the 25 missed went to triage, and 4 to a department: a Maslenitsa greeting, a joke about
  roads, a meme, a loan advertisement), no inquiry lost. Then a greeting came to reach only to the end of
  its sentence, naming whom it greets ("С Новым годом, в подъезде грязь" and "С 1 мая отключат воду" were
  greetings to the first version), condolences and blessings came to count as courtesy, offers of loans and
  earnings as advertising where nothing is asked: 27 of 40 named, none of the 30 inquiries or of 12 more
  written to probe the new words lost. A rule for commenters talking among themselves (a short message in "ты",
  with no complaint, where the model finds no topic) named 3 more, but was dropped: the only rows of the
  training part of that shape are complaints in the generic "ты" ("как выходить из дома, если знаешь, что
  на тебя может упасть глыба"), and on the validation split it took a \`★\` inquiry for chat, as thanks
  after any two words took another inquiry for thanks. This is the one choice the validation split has
  informed, and it only took rules back. Still missed: chat between commenters, an invitation ("Кто со мной
  на субботник? Пишите"), dismay ("жесть какая", kept as a reason to reopen), remarks on a photo or on old
  times.
- Other regions' wording was not available: stems, character n-grams, the lexicon and the rules are the
  defence, and the towns held out above are the nearest measure of it (the same krai, so a kind one).
  A second measure: 75 complaints written as other regions' citizens might, five for each category from what
  taxonomy.md puts in it, before any rule above was widened for them. The eight large categories: 40 of 40
  right, 39 confident enough to be routed. The seven thin ones: 16 of 35 right, 9 routed; of the 19 wrong,
  15 went to triage and 4 to a wrong department (building a clinic to \`health\`, as Perm's operators file
  it; felling a forest to \`improvement\`; CCTV at a bus stop to \`transport\`). Perm's operators file builders,
  kiosks, МФЦ and funerals under the need's category, so no rule names \`construction\`, \`economy\` or
  \`other\`: their texts rest on triage. A third measure, 90 inquiries (six per category) written by someone
  who had read neither the rules nor the data, as citizens of other regions: the eight large categories 46
  of 48 right, all 46 routed; the seven thin ones 21 of 42 right, 14 routed (23 and 16 once dead fish in
  either word order and speeds in Mbit/s named their categories). \`high\` found 23 of the 25
  shortened-deadline inquiries and marked 28 of the other 65 (27 after), nearly all by the \`★\` score: the
  known cost of setting it for recall.
- Spellings the file hardly holds (211 words with Latin lookalikes among Cyrillic letters, 55 with a letter
  held three times, no text of Russian in Latin letters) hid dangers and thanks from the rules and the vocabulary
  until normalisation folded them (above). On 175 texts written in other regions' wording by someone who had
  read neither the rules nor the data (150 inquiries, 24 of them dangers, and 25 not-inquiries): with every
  second lookalike letter swapped for a Latin one, 69 of the 150 were right instead of 131 and no danger was
  \`critical\` (20 of 24 in plain letters); with the last vowel of every long word held four times, 118 right
  and 13 dangers; one swapped or stretched letter was enough ("пaхнет газом в подъезде", "искриииит проводка
  в щитке" were \`normal\`, "Cпаcибо зa опeрaтивноcть" an inquiry), and Russian in Latin letters ("pahnet
  gazom v podezde", "net otopleniya pri -35") went to triage at \`high\`. With the folds, and the model
  retrained on them, every one of these versions scores as the plain texts do: 133 of 150 right, 22 of 24
  dangers \`critical\`, 22 of 25 not-inquiries named (the plain texts themselves held a few stretched words);
  the set as its author mixed it, a few texts with swapped letters, 125 → 133 right, triage 24.0% → 16.0%,
  dangers 19 → 22 of 24; of 44 dangers in plain, stretched, swapped and Latin spellings, 40 found instead of
  27 (the four missed are missed in plain letters too). On the file, the folds change the normalised text of
  76 of the 15,049 rows; the validation figures before and after retraining: accuracy 80.1% and 80.1%,
  macro-F1 59.0% and 59.2%, priority recall 81.1% and 81.1%, precision 40.7% and 40.5%, triage 24.9% and
  24.9%; on the towns held out, accuracy 80.8% and 80.9%.
- Most category errors are between neighbours that operators themselves mix up (roads and yards in snow
  season, housing and social housing questions); on the inner split, other feature weightings, class
  balances and C values landed within a point of each other, and so did a model over the fine topics
  as the \`★\` score, a sum of a word model and a character model (\`scripts/tune.ts\`, \`views\`), and the
  theme rules as features of the models. Complement naive Bayes added to the SVMs gained about a point
  of accuracy on three inner splits (seeds 42, 7, 99: 78.2% → 79.3% on average, macro-F1 52.4% → 51.5%,
  within the noise of a few rows in the thin categories). The prior shift (power ${TRAINING.priorCorrection}) gained
  macro-F1 on the same three splits at the same accuracy (79.3% → 79.3% on average, macro-F1 51.5% →
  54.9%: +5.2, +4.2 and +0.8 points, a handful of rows of the thin categories each time); powers of 0.05 to
  0.15 did about as well, 0.3 and more cost accuracy. These did not gain half a point there, or cost
  elsewhere: a model over the operators' 26 topic groups, read as their categories (by the top group or
  by the summed probabilities); a model over the fine topics summed per category and blended with the
  category model (at best +0.7 points, and some 180 outputs would multiply the model's size and scoring
  time) and, for \`★\`, the sum of the \`★\` topics' scores; NB-SVM (features scaled by log-count ratios); multinomial
  logistic regression by L-BFGS; rows without a topic group labelled by an executor that handles one
  category; self-training on the unlabelled rows; dropping training rows that cross-validation
  contradicts; C = 0.25; naive Bayes or the predicted category's \`★\` rate added to the \`★\` score; and
  multinomial naive Bayes next to the complement one (a thin category's few rows make its term
  distribution sharp, so short unclear texts such as "Да, подтверждаю" landed in it with confidence
  instead of going to triage).
- \`★\` topics are told from the rest by their words only: at the recall the targets ask for, the
  precision is well below the floor (see above). \`high\` is set for recall first, so more inquiries get the
  shortened deadline than need it. The theme rules add little on the validation rows, whose vocabulary the
  \`★\` model has already learnt; they are there for wording it has not seen, and on the towns held out they
  lift the recall reachable at ${pct(TRAINING.highPrecision)} precision from ${pct(f.towns.tradeOff.recallAtPrecision)} to ${pct(f.towns.ruledTradeOff.recallAtPrecision)}. Some \`★\` topics follow no theme
  (\`Информационно-техническая поддержка\` holds questions of every kind), and operators filed some texts of a
  theme under a plain topic (street lights out, refused appointments), which caps the rules' precision.
`;
}
