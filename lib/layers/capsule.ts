/**
 * Capsules with dynamic routing (Sabour, Frosst & Hinton 2017, "Dynamic Routing Between Capsules") as a
 * TensorFlow.js layer. Input: numIn capsules of dimension dimIn, [N, numIn, dimIn]; output: numCapsules
 * capsules of dimension capsuleDim, [N, numCapsules, capsuleDim].
 *
 * Every input capsule i predicts every output capsule j through its own matrix W_ij (capsuleDim x dimIn):
 *   u_hat[j|i] = W_ij u_i
 * Routing by agreement (Algorithm 1 of the paper), r iterations, logits b_ij = 0 at the start:
 *   c_ij = softmax_j(b_ij)               coupling coefficients: each input splits its vote over outputs
 *   s_j  = sum_i c_ij u_hat[j|i]
 *   v_j  = squash(s_j) = |s_j|^2 / (1 + |s_j|^2) * s_j / |s_j|
 *   b_ij = b_ij + u_hat[j|i] . v_j       agreement: inputs whose prediction lines up with v_j vote more for j
 * Parameters: numIn * numCapsules * dimIn * capsuleDim (no bias, as in the paper).
 * @see notebooks/q19-capsule-networks.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkFinite, checkPositiveInt, MAX_STEPS } from '../check';
import { argError } from '../errors';
import {
  type InitializerName,
  type Kwargs,
  type LayerArgs,
  type LayerShape,
  checkWeightShapes,
  layerArgs,
  makeInitializer,
  oneShape,
  oneTensor,
} from './common';
import { checkTensor } from './check-tensor';

/**
 * The capsule non-linearity: shrinks short vectors to length ~0 and long ones to length just below 1,
 * keeping their direction. v = |s|^2 / (1 + |s|^2) * s / sqrt(|s|^2 + epsilon), along `axis`.
 * @param s any shape; the capsule vectors lie along `axis` (default -1)
 * @param epsilon keeps the zero vector finite (default 1e-7)
 * @returns a tensor of the shape of s, every vector of length < 1
 * @throws ArgError when axis is not an axis of s or epsilon is not a finite number > 0
 * @example capsuleSquash(tf.tensor2d([[3, 4]]))   // [[0.5769, 0.7692]]: length 25/26
 * @see notebooks/q19-capsule-networks.ipynb
 */
export function capsuleSquash<T extends tf.Tensor>(s: T, axis = -1, epsilon = 1e-7): T {
  const fn = 'capsuleSquash';
  checkTensor(fn, 's', s);
  if (!Number.isInteger(axis) || axis < -s.rank || axis >= s.rank) argError(fn, 'axis', `must be an axis of a rank-${s.rank} tensor`, axis);
  checkFinite(fn, 'epsilon', epsilon);
  if (epsilon <= 0) argError(fn, 'epsilon', 'must be > 0', epsilon);
  return tf.tidy(() => {
    const sq = tf.sum(tf.square(s), axis, true);
    return tf.mul(s, tf.div(sq, tf.mul(tf.add(1, sq), tf.sqrt(tf.add(sq, epsilon))))) as T;
  });
}

export interface CapsuleLayerArgs extends LayerArgs {
  /** Number of output capsules (e.g. 10 digit capsules). Integer >= 1. */
  numCapsules: number;
  /** Dimension of each output capsule (16 in the paper). Integer >= 1. */
  capsuleDim: number;
  /** Routing iterations r (3 in the paper; 1 means uniform couplings, no routing). Integer from 1 to MAX_STEPS. Default 3. */
  routings?: number;
  /** Initializer of the transformation matrices W. Default 'glorotUniform'. */
  kernelInitializer?: InitializerName;
}

/** What happened in each routing iteration, for inspection (all tensors are the caller's to dispose). */
export interface RoutingTrace {
  /** Final output capsules v: [N, numCapsules, capsuleDim]. */
  outputs: tf.Tensor3D;
  /** Predictions u_hat[j|i]: [N, numIn, numCapsules, capsuleDim]. */
  predictions: tf.Tensor4D;
  /** Coupling coefficients c of iteration t (t = 0 first): [N, numIn, numCapsules], rows sum to 1. */
  couplings: tf.Tensor3D[];
  /** Agreement u_hat[j|i] . v_j with the outputs of iteration t: [N, numIn, numCapsules]. */
  agreements: tf.Tensor3D[];
  /** Output lengths |v_j| after iteration t: [N, numCapsules]. */
  lengths: tf.Tensor2D[];
  /**
   * Per iteration, the coupling-weighted cosine agreement mean_{n,i} sum_j c_ij cos(u_hat[j|i], v_j):
   * one number in [-1, 1] that routing drives up when the predictions cluster.
   */
  meanAgreement: number[];
}

/**
 * A fully connected capsule layer with dynamic routing: [N, numIn, dimIn] -> [N, numCapsules, capsuleDim].
 * @throws ArgError when numCapsules, capsuleDim or routings is not a positive integer, or the input is not
 *   [N, numIn, dimIn] with known numIn and dimIn
 * @example new CapsuleLayer({ numCapsules: 10, capsuleDim: 16, routings: 3 }).apply(tf.randomNormal([2, 1152, 8]))   // [2, 10, 16]
 * @see notebooks/q19-capsule-networks.ipynb
 */
export class CapsuleLayer extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'CapsuleLayer';
  readonly numCapsules: number;
  readonly capsuleDim: number;
  readonly routings: number;
  readonly kernelInitializer: InitializerName;
  private kernel?: tf.LayerVariable;
  private numIn = 0;
  private dimIn = 0;

  constructor(args: CapsuleLayerArgs) {
    super(layerArgs('CapsuleLayer', args, ['numCapsules', 'capsuleDim', 'routings', 'kernelInitializer'], 'numCapsules and capsuleDim'));
    const fn = 'CapsuleLayer';
    this.numCapsules = checkPositiveInt(fn, 'numCapsules', args.numCapsules);
    this.capsuleDim = checkPositiveInt(fn, 'capsuleDim', args.capsuleDim);
    this.routings = checkPositiveInt(fn, 'routings', args.routings ?? 3, MAX_STEPS);
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    makeInitializer(fn, 'kernelInitializer', this.kernelInitializer);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'CapsuleLayer';
    const shape = oneShape(fn, inputShape);
    if (shape.length !== 3 || shape[1] === null || shape[2] === null) {
      argError(fn, 'input', 'must have rank 3 [N, numIn, dimIn] with known numIn and dimIn', shape);
    }
    checkWeightShapes(fn, { kernel: [shape[1], this.numCapsules, this.capsuleDim, shape[2]] });
    this.numIn = shape[1];
    this.dimIn = shape[2];
    // W_ij stored as [numIn, numCapsules, capsuleDim, dimIn], so u_hat = W_ij u_i is one batched matMul.
    this.kernel = this.addWeight(
      'kernel',
      [this.numIn, this.numCapsules, this.capsuleDim, this.dimIn],
      'float32',
      makeInitializer(fn, 'kernelInitializer', this.kernelInitializer),
    );
    this.built = true;
  }

  /** u_hat[j|i] = W_ij u_i: [N, numIn, numCapsules, capsuleDim]. */
  predictions(u: tf.Tensor3D): tf.Tensor4D {
    return tf.tidy(() => tf.transpose(this.predictionsByCapsule(u), [0, 2, 1, 3]));
  }

  /** u_hat laid out per output capsule, [N, numCapsules, numIn, capsuleDim], the layout routing works in. */
  private predictionsByCapsule(u: tf.Tensor3D): tf.Tensor4D {
    if (!this.built) this.build(u.shape);
    const fn = 'CapsuleLayer';
    if (u.rank !== 3 || u.shape[1] !== this.numIn || u.shape[2] !== this.dimIn) {
      argError(fn, 'input', `must have shape [N, ${this.numIn}, ${this.dimIn}]`, u.shape);
    }
    return tf.tidy(() => {
      const n = u.shape[0];
      const ui = tf.transpose(u, [1, 0, 2]); // [numIn, N, dimIn]
      const w = tf.reshape(this.kernel!.read(), [this.numIn, this.numCapsules * this.capsuleDim, this.dimIn]);
      const uhat = tf.matMul(ui, w, false, true); // [numIn, N, numCapsules * capsuleDim]
      return tf.transpose(tf.reshape(uhat, [this.numIn, n, this.numCapsules, this.capsuleDim]), [1, 2, 0, 3]);
    });
  }

  /**
   * One pass of Algorithm 1 on predictions laid out [N, numCaps, numIn, capsuleDim]; `record` receives
   * every iteration's couplings and agreements as [N, numIn, numCaps] and outputs [N, numCaps, capsuleDim].
   * The weighted sums over i and the dot products with v_j are batched matMuls over (n, j), which is
   * several times faster on the wasm backend than broadcast-multiply-and-sum, forward and backward.
   */
  private routeFrom(
    uhat: tf.Tensor4D,
    record?: (c: tf.Tensor3D, v: tf.Tensor3D, agreement: tf.Tensor3D) => void,
  ): tf.Tensor3D {
    const [n, numCaps, numIn, dim] = uhat.shape;
    let b: tf.Tensor3D = tf.zeros([n, numIn, numCaps]); // logits b_ij
    let v: tf.Tensor3D | undefined;
    for (let t = 0; t < this.routings; t++) {
      const c = tf.softmax(b, -1) as tf.Tensor3D; // over output capsules j
      const cj = tf.reshape(tf.transpose(c, [0, 2, 1]), [n, numCaps, 1, numIn]);
      const s = tf.reshape(tf.matMul(cj, uhat), [n, numCaps, dim]) as tf.Tensor3D; // s_j = sum_i c_ij u_hat[j|i]
      v = capsuleSquash(s);
      const dots = tf.matMul(uhat, tf.reshape(v, [n, numCaps, dim, 1])); // [N, numCaps, numIn, 1]
      const agreement = tf.transpose(tf.reshape(dots, [n, numCaps, numIn]), [0, 2, 1]) as tf.Tensor3D;
      record?.(c, v, agreement);
      if (t < this.routings - 1) b = tf.add(b, agreement);
    }
    return v!;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => this.routeFrom(this.predictionsByCapsule(oneTensor('CapsuleLayer', inputs) as tf.Tensor3D)));
  }

  /**
   * Run the layer and keep every routing iteration: couplings, agreements, output lengths and the
   * coupling-weighted mean cosine agreement. Dispose the returned tensors when done.
   * @example const trace = caps.routeWithTrace(u); trace.meanAgreement   // e.g. [0.41, 0.63, 0.71]
   * @see notebooks/q19-capsule-networks.ipynb
   */
  routeWithTrace(inputs: tf.Tensor3D): RoutingTrace {
    checkTensor('CapsuleLayer.routeWithTrace', 'inputs', inputs, { rank: 3, layout: '[N, numIn, dimIn]' });
    const couplings: tf.Tensor3D[] = [];
    const agreements: tf.Tensor3D[] = [];
    const lengths: tf.Tensor2D[] = [];
    const cosines: tf.Scalar[] = [];
    const kept = tf.tidy(() => {
      const byCapsule = this.predictionsByCapsule(inputs);
      const predictions = tf.transpose(byCapsule, [0, 2, 1, 3]) as tf.Tensor4D; // [N, numIn, numCaps, dim]
      const predNorm = tf.norm(predictions, 'euclidean', -1); // [N, numIn, numCaps]
      const outputs = this.routeFrom(byCapsule, (c, v, a) => {
        const vNorm = tf.norm(v, 'euclidean', -1); // [N, numCaps]
        const cos = tf.div(a, tf.add(tf.mul(predNorm, tf.expandDims(vNorm, 1)), 1e-12));
        couplings.push(tf.keep(c));
        agreements.push(tf.keep(a));
        lengths.push(tf.keep(vNorm as tf.Tensor2D));
        cosines.push(tf.keep(tf.mean(tf.sum(tf.mul(c, cos), -1))));
      });
      return { outputs: tf.keep(outputs), predictions: tf.keep(predictions) };
    });
    const meanAgreement = cosines.map((s) => s.dataSync()[0]);
    tf.dispose(cosines);
    return { ...kept, couplings, agreements, lengths, meanAgreement };
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = oneShape('CapsuleLayer', inputShape);
    return [shape[0], this.numCapsules, this.capsuleDim];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numCapsules: this.numCapsules,
      capsuleDim: this.capsuleDim,
      routings: this.routings,
      kernelInitializer: this.kernelInitializer,
    };
  }
}
tf.serialization.registerClass(CapsuleLayer);

/**
 * Factory for {@link CapsuleLayer}.
 * @example const digitCaps = capsuleLayer({ numCapsules: 10, capsuleDim: 16, routings: 3 });
 * @see notebooks/q19-capsule-networks.ipynb
 */
export function capsuleLayer(args: CapsuleLayerArgs): CapsuleLayer {
  return new CapsuleLayer(args);
}

/**
 * Capsule lengths |v_j| (the probability that entity j is present): [N, numCapsules] from [N, numCapsules, dim].
 * @throws ArgError when v is not rank 3
 * @example capsuleLengths(digitCaps.apply(u) as tf.Tensor3D).argMax(-1)   // predicted class
 * @see notebooks/q19-capsule-networks.ipynb
 */
export function capsuleLengths(v: tf.Tensor3D): tf.Tensor2D {
  checkTensor('capsuleLengths', 'v', v, { rank: 3, layout: '[N, numCapsules, dim]' });
  return tf.tidy(() => tf.norm(v, 'euclidean', -1) as tf.Tensor2D);
}
