import { readFileSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { DataError } from './data-error.js';

/** The bytes of a data file, decompressed when they are gzip, and whether they were. */
export interface FileBytes {
  readonly bytes: Uint8Array;
  readonly gzipped: boolean;
}

/** The largest data file read, before or after gunzip (Fashion-MNIST's images are 47 MB). */
export const MAX_DATA_BYTES = 1 << 30;

export interface ReadLimits {
  /** Bytes the file may hold at most (default MAX_DATA_BYTES). */
  readonly maxBytes?: number;
  /**
   * For gzip: the decompressed size the first bytes declare (an IDX header), or null when they
   * do not say; decompression stops a little past it instead of filling memory.
   */
  readonly declaredSize?: (start: Uint8Array) => number | null;
}

/**
 * Reads a whole file; gzip is recognised by its magic bytes 1f 8b rather than by the name, so a
 * renamed or a plain `.gz` file both work. The size is checked before reading (a device such as
 * /dev/zero or a huge file is refused at once) and the decompressed size is capped.
 * Unreadable files become DataErrors that say why.
 */
export function readDataFile(path: string, limits: ReadLimits = {}): FileBytes {
  const maxBytes = limits.maxBytes ?? MAX_DATA_BYTES;
  let bytes: Uint8Array;
  try {
    checkReadable(path, maxBytes);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`cannot read ${path}: ${describeReadFailure(error)}`);
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return { bytes, gzipped: false };
  const declared = limits.declaredSize?.(gunzipStart(bytes)) ?? null;
  // A few bytes over the declared size, so a file longer than its header says is still reported as such.
  const maxOutputLength = declared === null ? maxBytes : Math.min(maxBytes, declared + 1024);
  try {
    // 1 MiB output chunks instead of 16 KiB: fewer pieces to join for MNIST's 47 MB of pixels.
    return { bytes: gunzipSync(bytes, { chunkSize: 1 << 20, maxOutputLength }), gzipped: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      const what = declared === null ? `more than ${maxOutputLength.toLocaleString('en-US')} bytes (the limit)` : `more than the ${declared.toLocaleString('en-US')} bytes its header declares`;
      throw new DataError(`${path} decompresses to ${what}; refused`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`${path} starts like a gzip file (bytes 1f 8b) but does not decompress (${reason}); is the download complete?`);
  }
}

/** A regular file of at most `maxBytes`: checked with stat, before anything is read. */
function checkReadable(path: string, maxBytes: number): void {
  const stats = statSync(path);
  if (stats.isDirectory()) return; // readFileSync says EISDIR, described below.
  if (!stats.isFile()) throw new DataError(`cannot read ${path}: it is not a regular file (a device, pipe or socket)`);
  if (stats.size > maxBytes) throw new DataError(`cannot read ${path}: it has ${stats.size.toLocaleString('en-US')} bytes, more than the limit of ${maxBytes.toLocaleString('en-US')}`);
}

/**
 * The first decompressed bytes of a gzip file, without decompressing the rest: growing prefixes
 * of the compressed bytes, each flushed as far as it goes (deflate inflates at most ~1032:1, so
 * a 1 KiB prefix cannot exceed the 2 MiB output cap), until the start holds an IDX header.
 */
function gunzipStart(bytes: Uint8Array): Uint8Array {
  let start = new Uint8Array(0);
  for (const prefix of [64, 256, 1024]) {
    try {
      start = gunzipSync(bytes.subarray(0, prefix), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 2 << 20 });
    } catch {
      break;
    }
    if (start.length >= 1024 || prefix >= bytes.length) break;
  }
  return start;
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
