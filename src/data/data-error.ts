import { InputError } from '../errors.js';

/**
 * A data file that cannot be read as a data set. The message names the file and the place in it
 * (byte offset and header field for IDX, line and column for CSV) and says what would be right,
 * so the CLI can print it as is, without a stack trace.
 */
export class DataError extends InputError {
  override readonly name = 'DataError';
}
