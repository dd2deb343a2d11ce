import type { Category } from '../taxonomy.js';
import { anyOf, atWordStart, wordStartUnions } from './word-pattern.js';

/**
 * Categories that the training data cannot teach, named by rules. Perm's file holds next to no complaint
 * about mobile coverage, the internet or TV (its `telecom` rows are questions about the appeals service
 * itself) and 14 about pollution, so the model has no evidence for what taxonomy.md puts in `telecom` and
 * `ecology`; another region's complaints of that kind would land in triage or in a wrong department. Its
 * texts that name a public services centre (МФЦ) are nearly all about a benefit applied for there, filed as
 * `social`, so a complaint about the centre itself (its queue, staff or hours), which taxonomy.md puts in
 * `other`, went confidently to `social` or `health`. The
 * vocabulary is written from taxonomy.md, narrow enough that it names the category itself, not a place or a
 * channel ("нет связи с УК", "в связи с", "не смог" are no such complaints).
 *
 * Matched on normalised text (lower case, ё→е), from the start of a word (`atWordStart`), with `\b` as a
 * Cyrillic word boundary (`wordPattern`).
 * A word between two cues is `[а-я]+`, so that a list ("нет света, связи") does not join them.
 */

/** Words that may stand between a service and its failure: "интернет постоянно пропадает". */
const OFTEN = '(?:(?:совсем|вообще|постоянно|опять|снова|часто|периодически|очень|плохо|то и дело|уже) )?';

/**
 * "связь"/"связи" that is not "связь с кем-то" (contact), "в связи с" (because of), "обратная связь" (feedback) or
 * "оператор связи" (a call centre's operator).
 */
const CONNECTION = '(?<!(?:оператор|обратн)\\S{0,3} )связ(?:ь|и|ью)(?![а-я0-9])(?! с\\b| со\\b)';

const TELECOM = anyOf(
  // coverage
  /(?:сотов|мобильн)\S* (?:[а-я]+ )?(?:связ|интернет|сет[ьи]\b|оператор)/,
  /вышк\S* (?:[а-я]+ )?(?:сотов|связи|мобильн)|(?:сотов|мобильн)\S* вышк/,
  // A tower wanted, not a lifeguards' or a floodlight's.
  /(?:нужна|нужны|поставьте|установите|постройте|поставить|установить|построить) (?:[а-я]+ )?вышк(?:а|у|и|ой|е)?(?![а-я0-9])(?! (?:[а-я]+ )?(?:спасат|освещ|наблюд|прожектор))/,
  `(?:нет|без|пропал\\S*|пропада\\S*|плох\\S*|слаб\\S*|отсутств\\S*|ужасн\\S*|не ловит|ловит|нормальн\\S*) (?:[а-я]+ )?${CONNECTION}`,
  `${CONNECTION} (?:[а-я]+ )?(?:нет|пропал\\S*|пропада\\S*|не ловит|не работа\\S*|отсутству\\S*)`,
  `(?:вопрос|проблем|трудност|беда)\\S* (?:[а-я]+ )?со? ${CONNECTION}|(?:обрыв|перебо|сбо|помех)\\S* (?:со? )?(?:сотов\\S* |мобильн\\S* )?${CONNECTION}`,
  /(?:телефон|сеть|сигнал|оператор)\S* (?:[а-я]+ )?не ловит|не ловит (?:[а-я]+ ){0,2}(?:телефон|сеть|оператор)/,
  // the internet
  `интернет(?:а|у|ом)? ${OFTEN}(?:не работа|пропал|пропада|отключ|отсутству|не ловит|тормоз)|интернета? нет\\b`,
  /(?:нет|пропал\S*|отключил\S*|скорост\S*|отсутстви\S*) (?:мобильн\S* |проводн\S* |домашн\S* |нормальн\S* |никакого |стабильн\S* )?интернет(?:а|у|ом)?(?![а-я0-9-])/,
  /(?:провед|провест|провел|провод|подключ|подвед)\S* (?:[а-я]+ )?интернет(?:а|у|ом)?(?![а-я0-9-])/,
  // "мтс" alone is also doctors' shorthand for metastases
  /(?:билайн\S*|мегафон\S*|теле2|tele2|йота|yota)\b|(?:связь|оператор\S*|сеть|сим\S*) мтс\b|мтс (?:[а-я]+ )?(?:не работа|перестал|пропал|пропада|не ловит)/,
  /провайдер|ростелеком|оптоволок|[0-9] ?(?:мбит|кбит|мегабит)|оптическ\S* волок|цифров\S* неравенств/,
  // TV and fixed lines
  /(?:цифров|аналогов|эфирн)\S* (?:тв|телевиден|эфир)|телесигнал|(?:пропал\S*|не показыва\S*|не ловит|не ловят) (?:[а-я]+ ){0,2}(?:канал|телевиден|тв\b)/,
  // The channels, in the plural ("дренажный канал" is a ditch).
  /(?:каналы|телеканал\S*) (?:[а-я]+ ){0,2}(?:пропал|исчез|не показыва|не ловит|не ловят)|(?:цифров|тв|телевизионн)\S* приставк/,
  /антенн\S* (?:[а-я]+ )?(?:не ловит|не принима)|телевизор\S* (?:[а-я]+ ){0,2}(?:не показыва|рябит|рябь|нет сигнала)/,
  `таксофон|(?:стационарн|домашн)\\S* телефон\\S* (?:[а-я]+ )?(?:не работа|нет\\b|отключ|молчит)|(?:не работа\\S*|отключ\\S*) (?:[а-я]+ )?(?:стационарн|домашн)\\S* телефон|телефонн\\S* ${CONNECTION}`,
);

/** A body of water, in the forms citizens name it with ("рек" alone would be "рекомендую" too). */
const WATER =
  '(?:рек(?:а|и|у|е|ой|ою|ам|ах|ами)\\b|речк\\S*|озер\\S*|пруд\\S*|водоем\\S*|водохранилищ\\S*|залив(?:а|е|у|ом)?\\b|ручей|ручь\\S*)';

/** Industry that citizens blame for smoke and smell ("предприятие" alone is as often a utility). */
const INDUSTRY = '(?:завод|комбинат|фабрик|тэц|грэс|промзон|свинокомплекс|птицефабрик)\\S*';

/** A plant, unless named as where one goes. */
const PLANT = `(?<!(?:^|[^а-я])(?:до|к|ко) )${INDUSTRY}`;

/** What industry puts into the air, in one sentence with it: "дым от комбината", "комбинат коптит". */
const FUMES =
  '(?:выброс(?:ы|ов|а|ом|ами|ах)?\\b|дым(?!оход)|коптит|копот|чадит|саж|гар(?:ь|и|ью)\\b|вон(?:ь|и|ью)\\b|воня|вонищ|смрад|загрязн|отравля(?:ет|ют)|травит|травят|засыпа\\S* (?:[а-я]+ )?(?:пыл|саж|пепл))';

/** Where the smell comes from, after "от" or "со стороны". */
const FUMES_SOURCE = '(?:завода|заводов|предприяти\\S*|комбината|производства|фабрики|тэц|промзоны)';

const ECOLOGY = anyOf(
  // emissions and pollution
  /(?:вредн|промышленн|токсичн)\S* выброс|выброс\S* (?:[а-я]+ ){0,2}(?:в воздух|в атмосфер|вредн|завод|предприят|комбинат|производств|котельн|тэц)/,
  `(?:загрязн|отрав)\\S* (?:[а-я]+ )?(?:воздух|атмосфер|почв|окружающ|${WATER})`,
  /загрязнени\S* (?:[а-я]+ )?(?:окружающ|природ|среды)/,
  // "ПДК" alone is also a district of Perm; its being exceeded is not
  /превышени\S* (?:[а-я]+ ){0,2}(?:пдк|предельно допустим)|предельно допустим\S* (?:концентрац|выброс)/,
  // discharges into water
  `(?:сброс\\S*|сбрасыва\\S*|слива\\S*|стека\\S*|попада\\S*|течет|текут) (?:[а-я]+ ){0,3}в ${WATER}`,
  `в ${WATER} (?:[а-я]+ )?(?:сбрасыва|слива|стека|текут|течет|попада)`,
  `(?:стоки|стоков|нечистот\\S*|канализац\\S*|отход\\S*) (?:[а-я]+ ){0,2}в ${WATER}`,
  `${WATER} (?:[а-я]+ ){0,2}(?:окрасил|побелел|покраснел|почернел|пожелтел|позеленел|помутнел)\\S*|(?:окрасил|побелел|покраснел|почернел|пожелтел)\\S* (?:[а-я]+ )?${WATER}`,
  /неочищенн\S* (?:сточн\S* )?(?:сток|вод\S* в)|(?:(?:слива|сбрасыва|сброс)\S*|слив) (?:[а-я]+ ){0,2}(?:масл|химикат|химию|нефтепродукт|мазут|бензин|отработк)/,
  /(?:мертв|дохл|снул)\S* рыб|рыб\S* (?:[а-я]+ )?(?:дохл|мертв|снул)|рыб\S* (?:[а-я]+ )?(?:дохнет|гибнет|погибл|всплыл)|(?:дохнет|гибнет|погибл\S*|всплыл\S*|гибель|гибели) (?:[а-я]+ )?рыб|мор рыбы|(?:нефтян|масля|радужн)\S* (?:пятн|пленк)|нефтепродукт/,
  `${WATER} (?:[а-я]+ ){0,2}(?:пена\\b|пенится|в пене)|(?:пляж|берег)\\S* (?:[а-я]+ ){0,3}(?:в )?(?:мазут|нефт)`,
  // smoke and smell from industry
  /(?:химическ|едк|удушлив)\S* (?:запах|дым)|запах\S* (?:химии|химикат)|смогом\b|(?:стоит|висит|окутал\S*|сплошной|густой) смог\b|смог над\b/,
  // A plant the sentence travels to ("автобус до завода", "дорога к комбинату") is not where the smell is from.
  `${PLANT}[^.!?]{0,60}\\b${FUMES}|${FUMES}[^.!?]{0,60}\\b${PLANT}`,
  `(?:вонь|запах|дым|гарь|выброс\\S*|несет|тянет|воняет) (?:[а-я]+ ){0,2}(?:от|с|со стороны) ${FUMES_SOURCE}\\b`,
  `(?:от|со стороны) ${FUMES_SOURCE} (?:[а-я]+ ){0,2}(?:несет|тянет|воняет|вонь|запах|дым|гарь)`,
);

/**
 * A public services centre (МФЦ, «Мои документы»), not "мои документы" (the writer's papers), and not one
 * named only as the way to a service ("через МФЦ").
 */
const CENTRE =
  '(?:(?<!через )мфц\\b|[«"“„]мои документы[»"”“]|(?:центр|офис|отделени|филиал)\\S* [«"“„]?мои документы)';

/** How a centre serves: its queue, windows, staff, hours, manners, papers lost or refused, booking. */
const CENTRE_SERVICE =
  '(?:очеред\\S*|окн(?:о|а|е|ом)\\b|окон\\b|сотрудни\\S*|специалист\\S*|работни\\S*|консультант\\S*|работа(?:ет|ют|л|ли)\\b|график\\S*|режим\\S*|часы работы|выходн\\S*|суббот\\S*|закры\\S*|откро\\S*|откры\\S*|нагруб\\S*|хам\\S*|груб\\S*|потерял\\S*|утерял\\S*|не принима\\S*|не принял\\S*|отказал\\S* (?:[а-я]+ )?(?:принять|в приеме)|терминал\\S*|талон\\S*|запис(?:ь|и|ью|аться)\\b|не дозвон\\S*)';

/**
 * The centre as the subject of the complaint (taxonomy.md puts it in `other`): "в МФЦ очередь на 3 часа",
 * "сотрудник МФЦ нагрубил", "МФЦ работает до 17".
 */
const PUBLIC_SERVICES_CENTRE = anyOf(
  `${CENTRE}[^.!?]{0,40}\\b${CENTRE_SERVICE}|${CENTRE_SERVICE}[^.!?]{0,30}\\b${CENTRE}`,
);

/**
 * A benefit or a pension applied for at the centre: the matter is the benefit (`social`), as Perm's operators
 * filed every such text ("специалист МФЦ не принял документы на пособие"); the model decides.
 */
const BENEFIT = anyOf(
  /пособи|выплат|субсиди|льгот|малоимущ|нуждающ|многодетн|опек|материнск\S* капитал|пенси(?:я|и|ю|ей)\b|пенсионн/,
);

/** Each rule's category, its pattern, and what, anywhere in the text, keeps it from naming one. */
const RULES: ReadonlyArray<readonly [Category, RegExp, RegExp?]> = [
  ['telecom', TELECOM],
  ['ecology', ECOLOGY],
  ['other', PUBLIC_SERVICES_CENTRE, BENEFIT],
];

export const CATEGORY_RULES = RULES.map(
  ([category, pattern, unless]) => [category, atWordStart(pattern), unless] as const,
);

/** A scan of a few unions tells most texts apart that no rule names (a union costs less than its parts in turn). */
export const ANY_RULE = wordStartUnions(RULES.map(([, pattern]) => pattern));

/** The category a rule names for a normalised text, if any: the first rule that matches. */
export function ruledCategory(normalised: string): Category | undefined {
  if (!ANY_RULE.some((union) => union.test(normalised))) return undefined;
  for (const [category, pattern, unless] of CATEGORY_RULES)
    if (pattern.test(normalised) && !unless?.test(normalised)) return category;
  return undefined;
}
