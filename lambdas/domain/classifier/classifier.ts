import type { Category, Classification, Priority } from '../taxonomy.js';
import { ruledCategory } from './category-rules.js';
import { dangerSigns } from './critical.js';
import { createVectoriser, type SparseVector } from './features.js';
import { type CategoryModel, categoryProbabilities, highProbability } from './model.js';
import { normaliseText } from './normalise.js';
import { notInquiryReason } from './not-inquiry.js';
import { priorityThemes } from './priority-rules.js';

/** The confidence given to the rules' answers (not an inquiry, a category): rules are precise but not certain. */
export const RULE_CONFIDENCE = 0.9;

/** A classifier bound to one decoded model: the domain takes the model as a value, never loads it. */
export function createClassifier(model: CategoryModel): (text: string) => Classification {
  const vectorise = createVectoriser(model.vocabulary);
  return (text) => {
    const normalised = normaliseText(text);
    if (notInquiryReason(normalised) !== undefined) {
      return {
        category: 'other',
        priority: 'normal',
        confidence: RULE_CONFIDENCE,
        inquiry: false,
        triage: false,
        model: model.version,
      };
    }
    const x = vectorise(normalised);
    const { category, confidence } = categoryOf(model, x, normalised);
    const priority: Priority =
      dangerSigns(normalised).length > 0
        ? 'critical'
        : priorityThemes(normalised).length > 0 || highProbability(model, x) >= model.highThreshold
          ? 'high'
          : 'normal';
    return {
      category,
      priority,
      confidence: Math.round(confidence * 1000) / 1000,
      inquiry: true,
      triage: confidence < model.triageThreshold,
      model: model.version,
    };
  };
}

/** A rule's category where the training data could not teach one, else the model's most probable one. */
function categoryOf(
  model: CategoryModel,
  x: SparseVector,
  normalised: string,
): { category: Category; confidence: number } {
  const ruled = ruledCategory(normalised);
  if (ruled !== undefined) return { category: ruled, confidence: RULE_CONFIDENCE };
  const probabilities = categoryProbabilities(model, x);
  let best = 0;
  for (let k = 1; k < probabilities.length; k++)
    if ((probabilities[k] ?? 0) > (probabilities[best] ?? 0)) best = k;
  return { category: model.categories[best] ?? 'other', confidence: probabilities[best] ?? 0 };
}
