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
