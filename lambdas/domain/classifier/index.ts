export { classifiedWords, MAX_CLASSIFIED_CHARACTERS } from './classified-length.js';
export { createClassifier } from './classifier.js';
export { dangerSigns } from './critical.js';
export { type CategoryModel, decodeModel, type SerialisedModel } from './model.js';
export { hasLink, hasWords, normaliseText, tokenise } from './normalise.js';
export { hasOwnWords, notInquiryReason } from './not-inquiry.js';
export { maskPersonalData } from './pii.js';
export { priorityThemes } from './priority-rules.js';
