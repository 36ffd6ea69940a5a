/**
 * A table of observations: features as float32 rows, plus either class labels (classification)
 * or numeric targets (regression). Plain data, so a reader, a split or the train command can
 * build one without a class, and typed arrays, so 60000 × 784 pixels stay one allocation.
 */
export interface Dataset {
  /** File path(s) or a name, for messages. */
  readonly source: string;
  /** Rows (observations). */
  readonly count: number;
  /** Columns of x. */
  readonly features: number;
  /** count × features, row-major. */
  readonly x: Float32Array;
  /** Class index per row (classification), else null. */
  readonly labels: Int32Array | null;
  /** Number of classes (0 for regression). */
  readonly classes: number;
  /**
   * The name of each class index, or null when the file has none (MNIST-format labels are bare
   * numbers). CSV classes are sorted (numerically when every label is a number, else by string),
   * not taken in order of first appearance, so the same label gets the same index in any
   * shuffle or subset of the same file.
   */
  readonly classNames: readonly string[] | null;
  /** count × targetWidth for regression, else null. */
  readonly targets: Float32Array | null;
  /** Columns of targets; 0 for classification. */
  readonly targetWidth: number;
}

export interface DatasetSplits {
  readonly train: Dataset;
  /** Held-out rows, or null when the source has none and none were asked for. */
  readonly test: Dataset | null;
}
