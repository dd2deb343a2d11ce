import { atWordStart, wordPattern, wordStartUnions } from './word-pattern.js';

/**
 * Themes that regional management centres answer on a shortened deadline (taxonomy.md, `high`): snow and
 * ice not cleared, refuse not collected, street lights out, icicles and roof leaks, open manholes, flooded
 * basements, blocked sewers, broken playground equipment, dangerous trees, medical help refused or not
 * coming. They are written as vocabulary, not learned from one region's texts, so that another region's
 * citizens trip them with their own words; the learned `★` score covers the rest.
 *
 * Matched on normalised text (lower case, ё→е), from the start of a word (`atWordStart`), with `\b` as a
 * Cyrillic word boundary (`wordPattern`).
 */

/** A verb of cleaning in the forms citizens complain with: не чистят, почистите, прочистить, уборка. */
const CLEANING =
  '(?:по|рас|за|вы|о|про)?чист(?:ят|ит|ить|ите|ил|ила|или|ился|ка|ки|ку|кой)\\b|убира(?:ют|ть|ет|ли)\\b|убер(?:ут|ите|ет)\\b|уборк\\S*';

/** A theme: its cue, and where the cue alone is ambiguous, the context the text must also mention. */
interface PriorityRule {
  name: string;
  cue: RegExp;
  context?: RegExp;
}

const MEDICAL_CONTEXT =
  /врач|поликлиник|больниц|терапевт|педиатр|фельдшер|медицин|травмпункт|приемн\S* (?:отделен|покой)|стационар|\bцрб\b/;

/** Each theme's name, cue and, where the cue alone is ambiguous, context. */
const THEMES: ReadonlyArray<readonly [string, RegExp, RegExp?]> = [
  [
    'snow and ice',
    new RegExp(
      `(?:снег|снеж|сугроб|налед|гололед|гололиц|лед|льда|льдом|скольз|колеи|колея|колеях|снегоочист|снегоубор)|(?:посыпа|пескосол|реагент)|занос(?:ы|ов|ами|ах)\\b|(?:в|как|сплошной|настоящий) каток\\b|замел(?:о|а|и)\\b|(?:дорог|улиц|тротуар|проезд|дорожк|переход|остановк)\\S* (?:не |никто не |плохо |совсем не |перестал\\S* )?(?:${CLEANING})|(?:${CLEANING}) (?:\\S+ )?(?:дорог|улиц|тротуар|проезд|дорожк|переход|остановк)`,
    ),
  ],
  [
    'icicles and roof leaks',
    /сосул|(?:крыш|кровл|потол)\S* (?:\S+ )?(?:течет|протека|капает|льет)|протека\S* (?:\S+ )?(?:потол|крыш|кровл)|(?:течет|протека|капает|льет)\S* (?:\S+ )?(?:с |через )?(?:крыш|кровл)|протечк\S* (?:\S+ )?(?:крыш|кровл|потол)|(?:с потолка|по стенам) (?:течет|капает|льет|бежит)|(?:течет|капает|льет|бежит) (?:\S+ )?(?:с потолка|по стенам)/,
  ],
  [
    'refuse not collected',
    /мусор\S* (?:\S+ )?(?:не |никто не |перестал\S* )(?:вывоз|вывез|убира|убер|забира|забер)|(?:не |никто не |перестал\S* )(?:вывоз|вывез|убира|убер|забира|забер)\S* (?:\S+ )?(?:мусор|бак|контейнер|отход|тко|кго)|мусор\S* (?:лежит|копит|накопил|скопил|валяется|гниет)|(?:переполн|завален)\S* (?:\S+ )?(?:мусор|бак|контейнер|площадк)|(?:бак|контейнер)\S* (?:\S+ )?переполн|свалк|мусоровоз\S* не/,
  ],
  [
    'street lights out',
    /(?:фонар|освещени|свет на улиц|уличн\S* свет)\S* (?:\S+ ){0,3}(?:не горит|не горят|не работа|не включ|отключ|погас|перегор)|нет света на улиц|не (?:горит|горят|работает|работают|включают) (?:\S+ )?(?:фонар|уличн\S* освещ|освещени)|(?:нет|отсутствует) (?:уличного |наружного )?освещени|темно\b/,
  ],
  ['open manhole', /\bлюк(?:и|а|ов|у|ом|е|ах|ами)?\b|колодец без крышки|открыт\S* колод/],
  [
    'flooding',
    /(?:затоп|подтоп)\S* (?:\S+ )?(?:подвал|подъезд|двор|территори|улиц|дом)|(?:подвал|подъезд|двор)\S* (?:\S+ )?(?:затоп|подтоп)|вода (?:стоит )?в подвале|подвал\S* (?:\S+ ){0,2}в воде|подтоплен/,
  ],
  [
    'blocked sewer',
    /засор\S* (?:\S+ )?(?:канализац|стояк|труб)|(?:канализац|стояк)\S* (?:\S+ )?засор|канализаци\S* (?:\S+ )?(?:течет|льется|выливается|забита|вытекает|переполн)|нечистот|фекали/,
  ],
  [
    'broken playground',
    /(?:сломан|разбит|поврежден|опасн|шата)\S* (?:\S+ )?(?:качел|горк|карусел|песочниц|игров\S* (?:элемент|оборудован|комплекс))|(?:качел|горк|карусел)\S* (?:\S+ ){0,2}(?:сломан|разбит|шата|опасн)/,
  ],
  [
    'dangerous tree',
    /(?:аварийн|сух|гнил|накренивш|падающ|упавш)\S* (?:\S+ )?(?:дерев|топол|берез|ветк|сук)|(?:ветк|сук)\S* (?:\S+ ){0,3}(?:вот-вот упад|может упасть|висит над|нависл)|(?:дерев|топол|берез)\S* (?:\S+ )?(?:упал|упало|падает|наклонил|накренил|аварийн)|порубочн/,
  ],
  [
    'medical help refused',
    /отказ\S* (?:в |нам |мне |ему |ей |ребенку )?(?:прием|приня|помощ|госпитал|лечен|осмотр|оказан|выез|вызов|выписа)|(?:не|никто не) (?:принял|приняли|осмотрел|осмотрели|госпитализ|оказал|оказали)\S*|(?:скор|неотложк)\S* (?:\S+ )?(?:не |отказ)|не (?:вызвать|дождаться) (?:врача|скор|неотложк)|врач\S* (?:на дом )?(?:не пришел|не приходит|не приехал|так и не)/,
    MEDICAL_CONTEXT,
  ],
];

export const PRIORITY_RULES: readonly PriorityRule[] = THEMES.map(([name, cue, context]) => ({
  name,
  cue: atWordStart(wordPattern(cue)),
  ...(context === undefined ? {} : { context: wordPattern(context) }),
}));

/** All cues in few patterns (as V8 optimises them): a scan of each tells whether any theme may speak. */
export const ANY_CUE = wordStartUnions(THEMES.map(([, cue]) => cue));

/** The names of the shortened-deadline themes the normalised text speaks of (empty when none). */
export function priorityThemes(normalised: string): string[] {
  if (!ANY_CUE.some((union) => union.test(normalised))) return [];
  return PRIORITY_RULES.filter(
    (rule) => rule.cue.test(normalised) && (rule.context === undefined || rule.context.test(normalised)),
  ).map((rule) => rule.name);
}
