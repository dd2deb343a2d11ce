/**
 * The citizen's own word that their matter is settled or withdrawn ("Уже починили, спасибо, вопрос снят",
 * "Неактуально", "Прошу прекратить рассмотрение моего обращения": a citizen may withdraw an appeal, 59-FZ
 * art. 5, https://www.consultant.ru/document/cons_doc_LAW_59999/). Such words are no new matter and no
 * danger: they raise no priority and reopen no answered inquiry. They close nothing either: the rule can be
 * wrong, so an operator reads them (the inquiry's `citizenSettledAt`) and decides.
 *
 * Rules, not the model: the training data holds no such words, and the model reads many of them as a short
 * complaint, some of it `high`. They are narrow on purpose: a word they miss is a follow-up as before, while
 * one they take wrongly would keep a complaint from raising or reopening its case.
 */

import { normaliseText, tokenise } from '../classifier/normalise.js';
import type { Classification } from '../taxonomy.js';

/** A settled word in a long message is more likely part of a report than the citizen's last word on it. */
const MAX_WORDS = 30;

/** A sentence's start: the text's, or after a stop or a comma ("Спасибо, уже неактуально"). */
const START = '(?:^|[.!,;:—-]\\s*)';

const SETTLED = new RegExp(
  [
    // "вопрос снят", "вопрос уже решён", "вопрос решился сам", "вопрос закрыт"
    '(?<![а-я])вопрос\\S* (?:уже |был |полностью |сам )?(?:снят|решен|решил(?:ся|и)|закрыт|урегулирован)(?![а-я])',
    // "проблема решена", "проблему устранили", "ситуация разрешилась"
    '(?<![а-я])(?:проблем|ситуаци|неисправност)\\S* (?:уже |была |полностью )?(?:решен|решил|разрешил|устранен|устранил|исправлен|исправил)\\S*',
    // "Неактуально", "Уже не актуально", "Обращение неактуально", "вопрос уже не актуален"
    `(?:${START}(?:уже |все |это )?|(?<![а-я])(?:вопрос|обращени|заявк|жалоб|проблем)\\S* (?:уже |больше )?)не ?актуальн(?:о|ен|на)(?![а-я])`,
    // "Прошу прекратить рассмотрение моего обращения"
    '(?<![а-я])(?:прошу|просим) (?:прекратить|остановить) (?:рассмотрение|работу)',
    // "Прошу отозвать моё обращение", "прошу не рассматривать мою жалобу", "прошу закрыть заявку"
    '(?<![а-я])(?:прошу|просим) (?:отозвать|аннулировать|не рассматривать|закрыть|снять с рассмотрения) (?:мое |мою |наше |нашу |свое |свою |данное |данную |это |эту )?(?:обращени|заявк|жалоб)',
    // "Отзываю своё обращение"
    '(?<![а-я])отзыва(?:ю|ем) (?:мое |мою |наше |нашу |свое |свою |данное |данную |это |эту )?(?:обращени|заявк|жалоб)',
  ].join('|'),
);

/**
 * "Уже починили", "уже всё сделали", "уже вывезли": settled only with thanks beside it ("Лифт уже починили,
 * спасибо"), for alone it may open a complaint ("Уже убрали остановку, теперь до работы не доехать").
 */
const FIXED =
  /(?<![а-я])уже (?:все )?(?:починили|сделали|устранили|отремонтировали|исправили|вывезли|убрали|заменили|восстановили|включили|решили|почистили|расчистили)(?![а-я])/;
const THANKS = /(?<![а-я])(?:спасибо|благодар)/;

/**
 * What undoes the settled word, anywhere in the text: a question ("Вопрос снят?"), a wish ("не актуально было
 * бы, если бы…"), a "but" and what is still wrong ("спасибо, но до сих пор не починили"), the settled word
 * denied ("вопрос не снят", "так и не решён", "мусор не убран"), something that still does not work ("дверь не
 * закрывается", "лучше не стало", "не улучшилось"), or told as someone else's claim ("вы пишете, что вопрос решён").
 */
const UNDONE = new RegExp(
  [
    '\\?',
    '(?<![а-я])(?:бы|но|однако|если|почему|зачем|когда|якобы|опять|снова|частично)(?![а-я])',
    'до сих пор|так и не|ничего не|пока не|еще не|не полностью|не до конца|все равно',
    '(?<![а-я])не (?:[а-я]+ )?(?:снят|решен|решил|закрыт|почин|сделал|сделан|устран|исправ|отремонт|вывез|убра[лн])',
    // Something still not working: "проблему решили пеной, теперь дверь не закрывается".
    '(?<![а-я])не [а-я]+(?:ет|ют|ут|ит|ят|ется|ются|ится|ятся|л|ла|ли|ло|лся|лась|лось|лись)(?![а-я])',
    '(?:пишете|написали|ответили|отвечаете|сообщили|сообщаете|утверждаете|отчитались),? что',
  ].join('|'),
);

/**
 * Whether the citizen's words say their matter is settled or withdrawn. Never words the classifier read as a
 * danger: a threat to life is told to the department whatever else the message says.
 */
export function citizenSettles(text: string, classification: Pick<Classification, 'priority'>): boolean {
  if (classification.priority === 'critical') return false;
  const normalised = normaliseText(text);
  if (tokenise(normalised).length > MAX_WORDS) return false;
  const settled = SETTLED.test(normalised) || (FIXED.test(normalised) && THANKS.test(normalised));
  return settled && !UNDONE.test(normalised);
}

/**
 * Whether an edit's new words say the matter is settled: those it appends ("…UPD: вопрос решён, спасибо", as
 * citizens add to a post), or, where it rewrote the message, its new text whole ("Неактуально"). Without the
 * words before it, or a classification of the new ones (which might read a danger), it says nothing so.
 */
export function editSettles(
  before: string | undefined,
  after: string | undefined,
  classification: Pick<Classification, 'priority'> | undefined,
): boolean {
  if (before === undefined || after === undefined || classification === undefined) return false;
  const added = after.startsWith(before) ? after.slice(before.length) : after;
  return citizenSettles(added, classification);
}

/**
 * Whether an edit takes the citizen's settled word back: words that said so ("Неактуально") rewritten into more
 * of the matter ("Лифт опять стоит"), which no longer say so as a whole.
 */
export function editUnsettles(
  before: string | undefined,
  after: string | undefined,
  classification: Pick<Classification, 'inquiry' | 'priority'> | undefined,
): boolean {
  if (before === undefined || after === undefined || !classification?.inquiry) return false;
  // The words before were not read as a danger: they would not have marked the inquiry settled.
  return citizenSettles(before, { priority: 'normal' }) && !citizenSettles(after, classification);
}
