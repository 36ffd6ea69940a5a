import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from './data-error.js';

/** The bytes of a data file, decompressed when they are gzip, and whether they were. */
export interface FileBytes {
  readonly bytes: Uint8Array;
  readonly gzipped: boolean;
}

/**
 * Reads a whole file; gzip is recognised by its magic bytes 1f 8b rather than by the name, so a
 * renamed or a plain `.gz` file both work. Unreadable files become DataErrors that say why.
 */
export function readDataFile(path: string): FileBytes {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DataError(`cannot read ${path}: ${describeReadFailure(error)}`);
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return { bytes, gzipped: false };
  try {
    // 1 MiB output chunks instead of 16 KiB: fewer pieces to join for MNIST's 47 MB of pixels.
    return { bytes: gunzipSync(bytes, { chunkSize: 1 << 20 }), gzipped: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`${path} starts like a gzip file (bytes 1f 8b) but does not decompress (${reason}); is the download complete?`);
  }
}

function describeReadFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
