/**
 * Reader of the IDX file format in which MNIST is distributed: a big-endian header
 * (two zero bytes, a type code, the number of dimensions, then one uint32 per dimension)
 * followed by the raw values. Only unsigned bytes (type 0x08) are needed for MNIST.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import { readFileSync, statSync } from 'fs';
import { argError, DataError } from '../errors';

/** A decoded IDX file. */
export interface IdxArray {
  /** Sizes of the dimensions, outermost first (e.g. [60000, 28, 28]). */
  dims: number[];
  /** The values, row-major. */
  data: Uint8Array;
}

/**
 * Decode IDX bytes (unsigned-byte payload only).
 * @param bytes the whole file
 * @param name shown in errors (usually the path)
 * @throws DataError on a bad magic number, an unsupported type, or a size that does not match the header;
 *   ArgError when bytes is not a Uint8Array (a Buffer is one) or name not a string
 * @example decodeIdx(readFileSync('t10k-labels-idx1-ubyte')).dims  // [10000]
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function decodeIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  if (!(bytes instanceof Uint8Array)) argError('decodeIdx', 'bytes', 'must be a Uint8Array (or a Buffer) holding the file', bytes);
  if (typeof name !== 'string') argError('decodeIdx', 'name', 'must be a string', name);
  return decodeAs('decodeIdx', bytes, name);
}

function decodeAs(fn: string, bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4) throw new DataError(`${fn}: ${name} is ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2];
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || rank < 1 || rank > 4) {
    throw new DataError(`${fn}: ${name} has magic number 0x${magic.toString(16).padStart(8, '0')}, not an IDX file`);
  }
  if (type !== 0x08) {
    throw new DataError(`${fn}: ${name} stores type 0x${type.toString(16)}, only unsigned bytes (0x08) are supported`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new DataError(`${fn}: ${name} is truncated inside its header`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    throw new DataError(
      `${fn}: ${name} header promises ${expected} values (dims [${dims.join(', ')}]) but the file holds ${actual}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/**
 * Read and decode an IDX file.
 * @throws DataError when the file is missing or unreadable, or see {@link decodeIdx}; ArgError when path is
 *   not a string
 * @example readIdx(path.join(mnistDir(), 't10k-labels-idx1-ubyte')).dims  // [10000]
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function readIdx(path: string): IdxArray {
  if (typeof path !== 'string') argError('readIdx', 'path', 'must be a string', path);
  return readIdxAs('readIdx', path);
}

/** {@link readIdx} reporting errors under the name `fn` (the loader the user called). @internal */
export function readIdxAs(fn: string, path: string): IdxArray {
  let bytes: Buffer;
  try {
    statSync(path);
    bytes = readFileSync(path);
  } catch (e) {
    throw new DataError(`${fn}: cannot read ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  return decodeAs(fn, bytes, path);
}
