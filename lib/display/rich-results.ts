/**
 * Rich results: what a cell shows when its last expression is a tensor or a model. The kernel
 * (kernel/tslab-patch.js) asks the value of a cell's last expression for a MIME bundle through the
 * method at `Symbol.for('Jupyter.display')` (the convention of Deno's Jupyter kernel) and sends it as
 * the cell's execute_result; importing cnnlib puts such a method on tf.Tensor and tf.LayersModel.
 * Outside a kernel nothing changes: console.log(t) prints as before.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkOptionKeys, checkPositiveInt } from '../check';
import { checkTensor } from '../layers/check-tensor';
import { summary } from '../models';
import type { MimeBundle } from './kernel-output';

/** The key of the method a value offers its notebook bundle under (`() => MimeBundle`). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display') as never;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A tensor as a notebook shows it: text/plain is tfjs's own print (`t.toString()`); text/html a
 * table of its values for a scalar, a vector or a matrix of at most `maxCells` values, with its
 * shape and dtype as caption, else the text in a <pre>.
 * @param t any live tensor
 * @param opts.maxCells default 400: larger tensors are shown as text only
 * @returns { 'text/plain', 'text/html' }
 * @throws ArgError when t is not a live tensor or maxCells is not a positive integer
 * @example tensorBundle(tf.tensor([[1, 2], [3, 4]]))['text/html']   // '<table ...><caption>[2,2] float32 ...'
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function tensorBundle(t: tf.Tensor, opts: { maxCells?: number } = {}): MimeBundle {
  checkTensor('tensorBundle', 't', t);
  checkOptionKeys('tensorBundle', 'opts', opts, ['maxCells']);
  const maxCells = checkPositiveInt('tensorBundle', 'opts.maxCells', opts.maxCells ?? 400);
  const shape = `[${t.shape.join(',')}] ${t.dtype}`;
  const text = t.toString();
  if (t.rank > 2 || t.size > maxCells || t.dtype === 'string' || t.dtype === 'complex64') {
    return { 'text/plain': text, 'text/html': `<pre>${escape(text)}</pre>` };
  }
  const values = t.arraySync() as unknown;
  const rows = (t.rank === 0 ? [[values]] : t.rank === 1 ? [values as unknown[]] : (values as unknown[][])) as unknown[][];
  const body = rows.map((r) => `<tr>${r.map((v) => `<td>${escape(String(v))}</td>`).join('')}</tr>`).join('');
  return {
    'text/plain': text,
    'text/html': `<table class="cnn-tensor"><caption>Tensor ${escape(shape)}</caption>${body}</table>`,
  };
}

/**
 * A tfjs-layers model as a notebook shows it: its summary() table, in text/plain and in a <pre>.
 * @throws ArgError when model is not a tf.LayersModel
 * @example modelBundle(model)['text/plain']   // 'Model: "sequential_1"\n...Total params: 1,199,882...'
 * @see notebooks/q02-cnn-architecture.ipynb
 */
export function modelBundle(model: tf.LayersModel): MimeBundle {
  if (!(model instanceof tf.LayersModel)) argError('modelBundle', 'model', 'must be a tf.LayersModel', model);
  const text = summary(model, { print: false });
  return { 'text/plain': text, 'text/html': `<pre>${escape(text)}</pre>` };
}

let installed = false;

/**
 * Give tf.Tensor and tf.LayersModel their notebook bundles (tensorBundle, modelBundle) under
 * JUPYTER_DISPLAY. Importing cnnlib calls it; calling it again does nothing.
 * @example installRichResults();   // then a cell ending in `tf.ones([2, 2])` shows a table
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function installRichResults(): void {
  if (installed) return;
  installed = true;
  const define = (proto: object, bundle: (self: never) => MimeBundle) =>
    Object.defineProperty(proto, JUPYTER_DISPLAY, {
      configurable: true,
      writable: true,
      enumerable: false,
      value(this: never) {
        return bundle(this);
      },
    });
  // A cell may end in a tensor it has disposed: say so rather than fail.
  define(tf.Tensor.prototype, (t: tf.Tensor) =>
    t.isDisposed ? { 'text/plain': `Tensor [${t.shape.join(',')}] ${t.dtype} (disposed)` } : tensorBundle(t));
  define(tf.LayersModel.prototype, (m: tf.LayersModel) => modelBundle(m));
}

installRichResults();
