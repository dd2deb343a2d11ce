/** The classifier as the functions call it. The keyword classifier needs no model file to load. */
export { classify, MODEL_VERSION } from '../domain/classifier/index.js';
