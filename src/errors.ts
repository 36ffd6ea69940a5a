/**
 * Errors a person can act on. The CLI prints `message` (never a stack trace) and exits 2 for
 * an InputError: the input was wrong and the message says where and what would be right.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}

/** Tensor shapes that an op cannot combine; the message names the op and both shapes. */
export class ShapeError extends InputError {
  override readonly name = 'ShapeError';
}
