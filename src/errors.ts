/**
 * Errors a person can act on. The CLI prints `message` (never a stack trace) and exits 2 for
 * an InputError: the input was wrong and the message says where and what would be right.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}

/**
 * A command ran but what it produced is not usable (a training run whose loss stopped being a
 * number): the CLI prints `message`, no stack trace, and exits 1.
 */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';
}

/** Tensor shapes that an op cannot combine; the message names the op and both shapes. */
export class ShapeError extends InputError {
  override readonly name = 'ShapeError';
}

/** What an AutogradError names besides its message: which input of the op, and the shapes involved. */
export interface AutogradErrorFacts {
  /** The position of the input the error is about (0 for the first). */
  readonly input?: number;
  /** The shapes the message compares, in the order it names them. */
  readonly shapes?: readonly (readonly number[])[];
}

/**
 * The engine was asked for something it cannot do: backward() on a tensor that needs no
 * gradient, a layer's backward before its forward, an op's vjp returning a gradient that does not
 * fit its input. It is a mistake of the program using the engine, not of the input it was given,
 * so it is not an InputError; the message starts with the op or call (`matmul: …`,
 * `backward(): …`) and names the input and the shapes. The CLI prints `message`, no stack
 * trace, and exits 1.
 */
export class AutogradError extends Error {
  override readonly name = 'AutogradError';
  readonly input: number | null;
  readonly shapes: readonly (readonly number[])[];

  /** `op` is the op or call at fault (matmul, backward(), linear.backward()); `problem` says what is wrong and what would be right. */
  constructor(readonly op: string, problem: string, facts: AutogradErrorFacts = {}) {
    super(`${op}: ${problem}`);
    this.input = facts.input ?? null;
    this.shapes = facts.shapes ?? [];
  }
}
