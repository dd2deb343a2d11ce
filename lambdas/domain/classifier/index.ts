export { classifiedWords, MAX_CLASSIFIED_CHARACTERS } from './classified-length.js';
export { hasLink, normaliseText } from './normalise.js';
export { hasOwnWords } from './not-inquiry.js';
