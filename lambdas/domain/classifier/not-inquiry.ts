import { hasWords, tokenise } from './normalise.js';
import { stem } from './stem.js';
import { boundWordTails } from './word-pattern.js';

/**
 * Messages that are not inquiries (thanks, greetings and wishes, applause, emoji only, advertising, spam, pure
 * abuse): they are recorded but not routed and get no deadline. The training data holds none, so these are
 * rules, checked against test/fixtures/classifier/not-inquiries.jsonl and against inquiries that must stay
 * inquiries. A message they miss stays an inquiry, and the model's low confidence sends it to triage.
 */

const COURTESY = new Set(
  (
    'здравствуйте здравствуй здрасте привет приветствую добрый доброе доброго добрых день дня утро утра ' +
    'вечер вечера ночи спасибо спасибочки благодарю благодарим благодарность благодарны благодарна благодарен ' +
    'огромное огромная большое большая выражаю выражаем искреннее искренняя сердечное вам вас всем вы ваш вашу ' +
    'вашей ваши за помощь оперативность оперативно оперативную быструю быстро работу работа ответ отклик ' +
    'внимание хорошего всего удачи здоровья всех благ с праздником праздником наступающим новым годом ' +
    'ок окей хорошо понятно ясно супер класс молодцы молодец отлично замечательно прекрасно уважаемые уважаемая ' +
    'уважаемый администрация администрации глава главе губернатор губернатору мэр мэру и а очень так ' +
    'времени суток понял поняла поняли ждем поздравляю поздравляем поздравления поздравление днем города победы ' +
    'защитника отечества марта женским международным земляки земляков друзья дорогие жители коллеги доброй ' +
    'приветики здрасьте народного единства россии знаний рождения семьи верности космонавтики весны труда ' +
    'какая какой ого вау ура браво наконец наконец-то держать полностью верно мира мирного неба ' +
    'ну дождались любимый любимого родной родного город города у нас ага конечно верим смотри смотрите ' +
    'посмотри глянь гляньте зацени вашим вашей ваших наши наш наша семьям близким родным труд вместе вами ' +
    'храни бог господь ' +
    // Thanks in Tatar, Ukrainian and Belarusian, as citizens of those republics and neighbours write it
    // ("Рахмат зур!", "Зур рахмат, бик яхшы эшлисез", "Сау булыгыз", "Дякую за оперативну роботу", "Дзякуй").
    'рахмат рахмет зур бик яхшы эшлисез сау булыгыз дякую дякуем щиро оперативну роботу допомогу дзякуй ' +
    'дзякую дзякуем'
  ).split(' '),
);

/**
 * The same thanks spelt with the letters of those languages that Russian lacks (`ә`, `і`, `є`, `ў`): they are
 * no word to `tokenise`, which would read "рәхмәт" as "р", "хм", "т".
 */
const THANKS_IN_OTHER_LETTERS =
  /(?<![\p{L}])(?:р[аә]хм[аәе]т|спасиб[іи]|дяку(?:ю|ємо)|дзяку(?:й|ю|ем)|вял[іi]к(?:і|ае|i)|щир[оа]|сезг[аәэ])(?![\p{L}])/gu;

/**
 * Hashtags and mentions ("#Казань #деньгорода", "@kazan_official"): a message of them alone, with emoji at
 * most, says nothing to answer, like emoji alone.
 */
const TAGS = /(?<!\S)[#@][\p{L}\d_]+/gu;

/** True when a normalised text holds a word besides hashtags and mentions. */
export const hasOwnWords = (normalised: string): boolean => hasWords(normalised.replace(TAGS, ' '));

/**
 * Holiday wishes and applause under a post, matched in any of their forms by stem ("шикарная" as
 * "шикарно", "хорошего" as "хороших"). Kept apart from the words above, whose other forms may ask for
 * something ("ждем ответ" is courtesy, "ждем ответа" a reminder), and from words whose stem a request shares
 * ("верно" and "верните", "неба" and "небыло"). Dismay ("ужас", "кошмар") and "тепла" are no applause: after
 * an answer they are a reason to reopen.
 */
const WISHES_AND_APPLAUSE = new Set(
  (
    'рождеством пасхой праздниками новогодними желаю счастья любви добра радости ' +
    'успехов благополучия процветания крепкого хороших выходных христовым утречка добрейшего здорово круто ' +
    'красота красиво шикарно поддерживаю согласен согласна плюсую правильно точно смешно респект новость ' +
    'отличная предыдущим комментарием автором лайк замечательная преображается лучший красавцы красавчик ' +
    'офигеть обалдеть подписываюсь терпения вечная память героям оратором комментатором светлая ' +
    'соболезнования соболезную скорбим царствие небесное'
  )
    .split(' ')
    .map(stem),
);

/** Laughter: "ахаха", "хахах", "хи-хи", "лол". */
const LAUGHTER = boundWordTails(/^(?:а?(?:ха|хе|хи)(?:-?(?:ха|хе|хи))+\S*|ахах\S*|лол|ору+|ржу|ржака|рофл)$/);

/** "С 8 марта", "с 9 мая": the number of a holiday greeting is not an address or a flat. */
const HOLIDAY_DATE = /(?<![0-9])(?:8 марта|9 мая|23 февраля|1 мая|12 июня|4 ноября)(?![а-я])/g;

/** Exclamations and assent whose words alone could ask for something ("так и надо" as against "так надо"). */
const REACTION_PHRASES = boundWordTails(
  /(?<![а-я])(?:ничего себе|вот это да|вот это новость|так держать|так и надо|так и есть|именно так|под каждым словом|на все сто|ну-ну|посмотрим|поживем[ -]увидим|как всегда|низкий (?:вам )?поклон|согласн\S* с [а-я]+)(?![а-я])/g,
);

/** Someone addressed by name and patronymic ("Дмитрий Николаевич"), as officials are. */
const ADDRESSEE = /(?<![а-я])(?:[а-я]+ )?[а-я]+(?:ович|евич|ьич|овна|евна|ична)(?![а-я])/g;

/** What is taken out of a short text before its words are read as courtesy. */
const STRIPPED = [HOLIDAY_DATE, REACTION_PHRASES, ADDRESSEE, THANKS_IN_OTHER_LETTERS];
const STRIPPED_MAX_WORDS = 20;

/**
 * A greeting on a holiday, a profession's day or an anniversary, with whom it greets ("С днём рождения,
 * Пермь!", "Поздравляю всех медиков с профессиональным праздником!", "С праздником, дорогие медики!"), up to
 * the end of its sentence. What follows must be wishes alone; "С Новым годом, в подъезде грязь" or "С 1 мая
 * отключат воду" is no greeting. A name's comma is the rest of its word: a `,?` beside that `\S*` would give each
 * name two ways to match, and a text of names followed by no greeting would be tried in 2^n ways.
 */
const HOLIDAY_GREETING = boundWordTails(
  /^(?:(?:вас|тебя|дорогие|уважаемые|друзья)\S* )*(?:(?:поздравля\S*|всех) (?:[а-я]+ ){0,2})?со? (?:дн[её]м(?: [а-я-]+){1,2}|профессиональн\S* праздник\S*|праздник\S*(?: [а-я-]+)?|(?:старым )?новым годом|рождеством(?: христовым)?|пасхой|масленицей|наступающим(?: новым годом| [а-я]+)?|юбилеем|победой|8 марта|9 мая|23 февраля|1 мая|12 июня|4 ноября)(?:,? (?:всех|дорог|уважаем|мил|любим)\S*(?: [а-я-]+){1,3}|, [а-я-]+)?(?:[.!]+\s*|$)/,
);
const GREETING_MAX_WORDS = 12;
/** A request in the imperative ("почистите", "сделайте"); "здравствуйте" is courtesy. */
const IMPERATIVE = /^[а-я]{3,}(?:ите|йте)$/;

/** Thanks, or praise that says what for ("Молодцы, что быстро сделали"). */
const THANKS_START = boundWordTails(
  /^(?:(?:уважаем\S* )?(?:[а-я]+ )?[а-я]+(?:ович|евич|ьич|овна|евна|ична),? )?(?:(?:какие|какой|какая|ну|вот|все|вы|же|просто|огромное|большое|искреннее) ){0,3}(?:спасибо|благодар|выражаю|выражаем|(?:хочу|хотим|хотелось бы) (?:\S+ )?(?:выразить (?:\S+ )?благодарн|сказать спасибо|поблагодарить)|молодц|браво|респект)/,
);
/** A complaint or request hides in many thank-you notes: then it is an inquiry. */
const PROBLEM_MARKERS = boundWordTails(
  /\?|(?:^|\s)(?:не|нет|ни|но|однако|когда|почему|зачем|сколько|где|прошу|просим|помогите|помочь|жалоб\S*|до сих пор|опять|снова|только|проблем\S*|разберитесь|примите|нужно|надо|требу\S*|невозможно|сломан\S*|еще|долго|куда|подскажите|скажите|уточните|(?<!без )отказ\S*|а у нас|а нам|а вот|а в нашем|а наш|а наша|а наши)(?=\s|$|[.,!])/,
);
const THANKS_MAX_WORDS = 40;

const ADVERTISING_STRONG = boundWordTails(
  /казино|букмекер|ссылк\S* в (?:профиле|шапке|описании|био)|на (?:моем|нашем) (?:канале|блоге)|ставки на спорт|промокод|пассивн\S* доход|заработ\S* (?:в интернете|онлайн|без вложений|от \d|до \d)|доход от \d|(?:подпис(?:ывайтесь|ывайся|ись)|подпиш(?:ись|итесь)) на (?:наш|мой|канал|групп|паблик)|переходи\S* по ссылке|(?:пиши|пишите|писать) в (?:лс|личку|личные|директ)|крипт(?:у|а|ой|овалют)|гаранти\S* дохода|инвестируй|быстрые деньги/,
);
/** Offers of money a citizen may also complain of ("дали займ без отказа, теперь звонят коллекторы"). */
const MONEY_OFFERS = boundWordTails(
  /кредит без (?:справок|отказа)|займ\S* (?:без|онлайн|на карту)|займ\S* (?:\S+ ){0,3}(?:без отказа|без проверок)|одобрение за \d|(?:получай|зарабатывай)\S* от \d|переходи\S* в бота|_bot(?![a-z])/,
);
/** Likes-and-reposts bait; a citizen may quote it in a complaint, so it counts only where nothing is asked. */
const ENGAGEMENT_BAIT = boundWordTails(
  /взаимн\S* (?:подписк|лайк)|разыгрываем|разыгрываю|ставь(?:те)? лайк|лайк за лайк|подпиш(?:ись|итесь) и |сделай(?:те)? репост|выиграй(?:те)? /,
);
const ADVERTISING_WEAK = boundWordTails(
  /продам|продаю|куплю|скидк\S*|акци[яи](?![а-я])|недорого|доставк\S*|по низким ценам|звоните|обращайтесь|предлагаем|предлагаю услуги|вакансия|удаленн\S* работ|качественно и быстро|гарантия|ремонт под ключ|бесплатн\S* консультац|посуточн\S*|без посредников|по ссылке|в профиле|курс(?:ы|ов)(?![а-я])|цена договорная|выезд бесплатн\S*|наш магазин|артикул/g,
);

const ABUSE = boundWordTails(
  /^(?:х[уy][йеияю]\S*|п[иеё]зд\S*|бля\S*|[её]ба\S*|[её]б\S*|заеб\S*|сук[аи]?|суч\S*|мудак\S*|мудил\S*|мраз\S*|твар\S*|урод\S*|дебил\S*|идиот\S*|козл\S*|козел|сволоч\S*|гнид\S*|ублюд\S*|дерьм\S*|говн\S*|тупы\S*|тупорыл\S*|чмо|лох\S*|дураки?|придурк\S*|кончен\S*|воры|ворюг\S*|позор|позорище|бездельник\S*|дармоед\S*|клоун\S*|бездар\S*|балабол\S*|нахлебник\S*|паразит\S*|бестолоч\S*)$/,
);
const FILLER = new Set(
  'вы все вам вас ваш ваши ваша там тут это эти этот этой этом этого эта а и ну же вот как так что кто в на сидят тьфу вся весь всё все одни одно просто одни сплошные какие какой какой-то какая-то какое-то такие такой да ты ты же идите пошли уже не власть власти чиновники депутаты с взять до одного'.split(
    ' ',
  ),
);

/** The patterns above, for the tests of their shape (each rest of a word bounded, no repetition read two ways). */
export const NOT_INQUIRY_PATTERNS: readonly RegExp[] = [
  THANKS_IN_OTHER_LETTERS,
  TAGS,
  LAUGHTER,
  HOLIDAY_DATE,
  REACTION_PHRASES,
  ADDRESSEE,
  HOLIDAY_GREETING,
  IMPERATIVE,
  THANKS_START,
  PROBLEM_MARKERS,
  ADVERTISING_STRONG,
  MONEY_OFFERS,
  ENGAGEMENT_BAIT,
  ADVERTISING_WEAK,
  ABUSE,
];

type NotInquiryReason = 'empty' | 'courtesy' | 'thanks' | 'advertising' | 'abuse';

/** Why the normalised text is not an inquiry, or undefined when it is one. */
export function notInquiryReason(normalised: string): NotInquiryReason | undefined {
  if (!hasOwnWords(normalised)) return 'empty';
  const words = tokenise(normalised);
  const courteous = (word: string) =>
    COURTESY.has(word) || WISHES_AND_APPLAUSE.has(stem(word)) || LAUGHTER.test(word);
  const courteousOnly = (text: string) =>
    tokenise(STRIPPED.reduce((rest, pattern) => rest.replace(pattern, ' '), text)).every(courteous);
  // "Здравствуйте?" or "Точно?" asks something: a reminder or a doubt, not a greeting. Most texts stop at
  // their first word that is not courteous; only a short one is stripped of phrases, names and dates.
  if (
    !normalised.includes('?') &&
    (words.every(courteous) || (words.length <= STRIPPED_MAX_WORDS && courteousOnly(normalised)))
  ) {
    return 'courtesy';
  }
  const requests = () => words.some((word) => IMPERATIVE.test(word) && !courteous(word));
  const greeting = HOLIDAY_GREETING.exec(normalised)?.[0];
  if (
    greeting !== undefined &&
    words.length <= GREETING_MAX_WORDS &&
    !PROBLEM_MARKERS.test(normalised) &&
    !requests() &&
    courteousOnly(normalised.slice(greeting.length))
  ) {
    return 'courtesy';
  }
  if (
    THANKS_START.test(normalised) &&
    words.length <= THANKS_MAX_WORDS &&
    !PROBLEM_MARKERS.test(normalised) &&
    !requests()
  ) {
    return 'thanks';
  }
  if (ADVERTISING_STRONG.test(normalised)) return 'advertising';
  if (
    (ENGAGEMENT_BAIT.test(normalised) || MONEY_OFFERS.test(normalised)) &&
    !PROBLEM_MARKERS.test(normalised)
  ) {
    return 'advertising';
  }
  const weakAds = normalised.match(ADVERTISING_WEAK)?.length ?? 0;
  if (weakAds >= 2 && !PROBLEM_MARKERS.test(normalised)) return 'advertising';
  const abusive = words.filter((word) => ABUSE.test(word)).length;
  if (abusive > 0 && words.every((word) => ABUSE.test(word) || FILLER.has(word) || COURTESY.has(word))) {
    return 'abuse';
  }
  return undefined;
}
