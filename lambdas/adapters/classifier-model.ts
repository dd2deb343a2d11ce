/**
 * The committed classifier model, decoded once per process (per Lambda container) at import. The JSON is
 * imported as a module so that esbuild inlines it into the function's bundle: no file read at cold start.
 */
import serialised from '../../model/classifier.json' with { type: 'json' };
import { createClassifier } from '../domain/classifier/classifier.js';
import { decodeModel, type SerialisedModel } from '../domain/classifier/model.js';
import type { Classification } from '../domain/taxonomy.js';

const model = decodeModel(serialised as SerialisedModel);

export const MODEL_VERSION: string = model.version;
export const classify: (text: string) => Classification = createClassifier(model);
