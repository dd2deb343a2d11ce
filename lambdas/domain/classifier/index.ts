import type { Category, Classification, Priority } from '../taxonomy.js';

/**
 * A small keyword classifier: enough to walk one inquiry through the pipeline. Its answer already has the
 * final shape of the trained classifier's.
 */
const KEYWORDS: ReadonlyArray<[Category, RegExp]> = [
  ['housing', /отоплен|батаре|горяч.* вод|холодн.* вод|подъезд|управляющ|ук |крыш|капремонт|электроэнерг|газ/],
  ['roads', /дорог|ям[аыу ]|асфальт|светофор|тротуар|гололед/],
  ['transport', /автобус|маршрут|трамва|остановк|проезд/],
  ['waste', /мусор|тко|контейнер|свалк/],
  ['improvement', /двор|детск.* площадк|освещен|фонар|сквер|парк/],
  ['health', /поликлиник|больниц|врач|скор.* помощ|лекарств/],
  ['education', /школ|детск.* сад|садик|учител/],
  ['social', /пособи|выплат|пенси|многодетн|инвалид/],
];
const CRITICAL = /прорыв|запах газа|открыт.* люк|угроза жизни|нет отопления/;
const NOT_INQUIRY = /^(спасибо|благодар|здравствуйте|добрый день|привет)[\s!.,)]*$/;

export const MODEL_VERSION = 'keywords-0';

export function classify(text: string): Classification {
  const lower = text.toLowerCase().replaceAll('ё', 'е').trim();
  if (lower.length === 0 || NOT_INQUIRY.test(lower)) {
    return { category: 'other', priority: 'normal', confidence: 0.9, inquiry: false, triage: false, model: MODEL_VERSION };
  }
  const hit = KEYWORDS.find(([, pattern]) => pattern.test(lower));
  const priority: Priority = CRITICAL.test(lower) ? 'critical' : 'normal';
  if (!hit) {
    return { category: 'other', priority, confidence: 0.2, inquiry: true, triage: true, model: MODEL_VERSION };
  }
  return { category: hit[0], priority, confidence: 0.6, inquiry: true, triage: false, model: MODEL_VERSION };
}
