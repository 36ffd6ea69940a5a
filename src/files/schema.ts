import { z } from 'zod';
import { byName } from '../by-name.js';
import { INIT_NAMES } from '../nn/init.js';
import { LOSS_NAMES } from '../nn/losses.js';
import { OPTIMIZER_NAMES } from '../optim/create.js';

/*
 * The problem-file schema (YAML or JSON). A file holds either an expression problem
 * (`expression` + `at`, as `mashagrad grad`) or a network problem (`model`, `loss`, `data`,
 * `train`). Weights given as names instead of numbers make a network problem symbolic.
 */

export const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const name = z.string().regex(NAME, 'a name: letters, digits and _, not starting with a digit');
const matrix = z.array(z.array(z.number()).min(1, 'a row needs at least one number')).min(1, 'a matrix needs at least one row');
const vector = z.array(z.number()).min(1);

export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'softmax', 'leaky_relu'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const linearSchema = z.strictObject({
  weights: z.union([matrix, name]).optional(),
  bias: z.union([z.boolean(), vector, name]).optional(),
  in: z.number().int().positive().optional(),
  out: z.number().int().positive().optional(),
  init: z.enum(INIT_NAMES).optional(),
  /** constant: the value; uniform: the bound; normal: the standard deviation. */
  value: z.number().optional(),
  seed: z.number().int().optional(),
});
export type LinearSpec = z.infer<typeof linearSchema>;

export const activationOptionSchemas = {
  relu: z.strictObject({}),
  sigmoid: z.strictObject({}),
  tanh: z.strictObject({}),
  softmax: z.strictObject({}),
  leaky_relu: z.strictObject({ slope: z.number().positive().lt(1).optional() }),
} satisfies Record<ActivationName, z.ZodType>;

/** One parameter's optimizer memory: its buffers by the rule's state names (v, m, s). */
const parameterStateSchema = z.strictObject({
  parameter: z.string(),
  m: z.union([matrix, vector]).optional(),
  v: z.union([matrix, vector]).optional(),
  s: z.union([matrix, vector]).optional(),
});

/**
 * The optimizer's memory after `steps` earlier updates, so that a file can be a step in the middle
 * of training (the playground writes it): the next update is step steps + 1 (Adam's t), and each
 * listed parameter's momentum or moments start from the numbers given (unlisted ones from zero).
 */
export const optimizerStateSchema = z.strictObject({
  steps: z.number().int().min(0),
  parameters: z.array(parameterStateSchema).default([]),
});
export type OptimizerStateSpec = z.infer<typeof optimizerStateSchema>;

export const trainSchema = z.strictObject({
  optimizer: z.enum(OPTIMIZER_NAMES).default('sgd'),
  // 0 is allowed: a step that learns nothing (the playground's lr = 0 explained as it trains).
  lr: z.number().min(0, 'the learning rate must be 0 or more'),
  /** Observations per step; 1 is stochastic gradient descent. Default: all of them. */
  batch: z.number().int().positive().optional(),
  /** 1-based order of the observations in each epoch ("the second first, then the first": [2, 1]). */
  order: z.array(z.number().int()).min(1).optional(),
  epochs: z.number().int().positive().default(1),
  shuffle: z.boolean().default(false),
  seed: z.number().int().default(0),
  momentum: z.number().min(0).optional(),
  betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).optional(),
  eps: z.number().positive().optional(),
  alpha: z.number().min(0).max(1).optional(),
  weight_decay: z.number().min(0).optional(),
  /**
   * together (default): every parameter is updated after the whole backward pass; layerwise: each
   * layer as soon as its gradient is known, from the top down, so the layers below receive the
   * gradient through the updated weights (the book's "Nesterov and backprop" problem).
   */
  update: z.enum(['together', 'layerwise']).default('together'),
  state: optimizerStateSchema.optional(),
});
export type TrainSpec = z.infer<typeof trainSchema>;

/** y may be a list of numbers: one target per observation. */
const targets = z.union([matrix, vector.transform((values) => values.map((value) => [value]))]);

/** A title, or one per language: { en: …, ru: … }. */
export const titleSchema = z.union([z.string(), z.strictObject({ en: z.string(), ru: z.string().optional() })], {
  error: 'expected text, or one per language: en: text (and, if you like, ru: text)',
});

export const networkProblemSchema = z.strictObject({
  title: titleSchema.optional(),
  /** The problem's statement, shown at the top of the worked solution: text, or per language. */
  description: titleSchema.optional(),
  /** A teacher's remark shown in the worked solution, as text or per language (where the sheet's numbers come from). */
  note: titleSchema.optional(),
  /** Checked per layer in load-problem.ts, so each problem gets its own path. */
  model: z.array(z.unknown()).min(1, 'the model needs at least one layer'),
  loss: z.enum(LOSS_NAMES),
  /** λ of an L2 term written into the loss: L + λ·Σ‖W‖² over the weights (not the biases). */
  l2: z.number().min(0, 'the L2 coefficient λ must be 0 or more').optional(),
  data: z.strictObject({ x: matrix, y: targets }).optional(),
  train: trainSchema.optional(),
  answers: z.unknown().optional(),
});
export type NetworkProblemSpec = z.infer<typeof networkProblemSchema>;

/**
 * One layer asked about on its own: the network (for names and the layer's number), which layer
 * (1-based, as the sheet counts), its input x and the given gradient arriving from above.
 */
export const layerProblemSchema = z.strictObject({
  title: titleSchema.optional(),
  /** The problem's statement, shown at the top of the worked solution: text, or per language. */
  description: titleSchema.optional(),
  model: z.array(z.unknown()).min(1, 'the model needs at least one layer'),
  layer: z.number().int().positive().optional(),
  x: z.union([matrix, vector.transform((values) => [values])]),
  gradient: z.union([matrix, vector.transform((values) => [values]), z.number().transform((value) => [[value]])]),
  answers: z.unknown().optional(),
});
export type LayerProblemSpec = z.infer<typeof layerProblemSchema>;

/**
 * `at`: variable name → number. Checked by hand rather than with z.record, which drops a
 * `__proto__` key; the result is prototype-less, so every name a formula can use is kept.
 */
const pointSchema = z
  .custom<Readonly<Record<string, unknown>>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected a mapping of variable names to numbers, e.g. { x: 1, y: 2 }')
  .transform((value, context) => {
    const entries = Object.entries(value);
    for (const [key, number] of entries) {
      if (typeof number !== 'number' || !Number.isFinite(number)) context.addIssue({ code: 'custom', path: [key], message: `expected a finite number, got ${JSON.stringify(number) ?? String(number)}` });
    }
    return byName(entries as [string, number][]);
  });

export const expressionProblemSchema = z.strictObject({
  title: titleSchema.optional(),
  /** The problem's statement, shown at the top of the worked solution: text, or per language. */
  description: titleSchema.optional(),
  expression: z.string().min(1),
  at: pointSchema,
  answers: z.unknown().optional(),
});
export type ExpressionProblemSpec = z.infer<typeof expressionProblemSchema>;

/** A formula of vectors and matrices: `at` values are checked by matrix/values.ts, which names the element at fault. */
export const matrixProblemSchema = z.strictObject({
  title: titleSchema.optional(),
  /** The problem's statement, shown at the top of the worked solution: text, or per language. */
  description: titleSchema.optional(),
  expression: z.string().min(1),
  at: z.record(z.string(), z.unknown()).optional(),
  variables: z.record(z.string(), z.string()).optional(),
  hessian: z.boolean().optional(),
  /** Solve ∇ = 0 for these variables (docs/matrix-calculus.md, "Stationary points"); answers: stationary is the student's claimed point. */
  stationary: z.array(z.string()).min(1).optional(),
  /** A teacher's remark shown in the worked solution (where the book's answer errs), as text or per language. */
  note: titleSchema.optional(),
  answers: z.unknown().optional(),
});
