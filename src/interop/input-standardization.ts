/*
 * A model trained with `standardize: true` expects (x − mean)/std, one mean and one standard
 * deviation for every feature. Its exports take raw inputs and do that step first.
 */

/** The numbers of x ← (x − mean)/std (structurally the same as files/load-dataset's Standardization). */
export interface InputStandardization {
  readonly mean: number;
  readonly std: number;
}

/** Names of the two ONNX initializers: state-dict names start with a layer index, so these cannot clash. */
export const STANDARDIZE_MEAN = 'standardize.mean';
export const STANDARDIZE_STD = 'standardize.std';

/** The safetensors metadata key that records the numbers as text (the state dict itself stays pure). */
export const STANDARDIZATION_METADATA_KEY = 'mashagrad.standardization';

/** The numbers as text that reads back to the same float64 (JSON). */
export const standardizationText = ({ mean, std }: InputStandardization): string => JSON.stringify({ mean, std });
