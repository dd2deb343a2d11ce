/**
 * Inquiry categories and priorities, as shared/taxonomy.md defines them. Routing rules, SLA policies,
 * reports and the operator console all speak these codes.
 */
export const CATEGORIES = [
  'housing',
  'roads',
  'transport',
  'improvement',
  'waste',
  'health',
  'social',
  'education',
  'safety',
  'ecology',
  'telecom',
  'construction',
  'culture_sport',
  'economy',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The Russian name an operator or a citizen sees. */
export const CATEGORY_NAMES: Record<Category, string> = {
  housing: 'ЖКХ',
  roads: 'Дороги',
  transport: 'Общественный транспорт',
  improvement: 'Благоустройство',
  waste: 'Мусор и ТКО',
  health: 'Здравоохранение',
  social: 'Социальная защита',
  education: 'Образование',
  safety: 'Безопасность',
  ecology: 'Экология',
  telecom: 'Связь и интернет',
  construction: 'Строительство и архитектура',
  culture_sport: 'Культура и спорт',
  economy: 'Экономика и торговля',
  other: 'Прочее',
};

export const PRIORITIES = ['critical', 'high', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The more urgent of two priorities. */
export const moreUrgent = (a: Priority, b: Priority): Priority =>
  PRIORITIES.indexOf(a) <= PRIORITIES.indexOf(b) ? a : b;

/** The Russian name an operator or a head of department reads. */
export const PRIORITY_NAMES: Record<Priority, string> = {
  critical: 'критический',
  high: 'высокий',
  normal: 'обычный',
};

export const isCategory = (value: string): value is Category =>
  (CATEGORIES as readonly string[]).includes(value);

/** What the classifier says of one citizen's text. */
export interface Classification {
  category: Category;
  priority: Priority;
  /** 0..1: how sure the classifier is of the category. */
  confidence: number;
  /** false for thanks, greetings, emoji, advertising, spam, abuse: recorded, never routed. */
  inquiry: boolean;
  /** true when the confidence is too low to route automatically: the inquiry goes to manual triage. */
  triage: boolean;
  /** The version of the model or rule set that produced this answer. */
  model: string;
}
