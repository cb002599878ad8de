/**
 * Receptive field of a stack of sliding-window layers: how many input pixels (along one axis) can
 * influence one output unit of each layer.
 *
 *   k_eff = (k - 1) * d + 1                     extent of a dilated kernel
 *   size_l = size_{l-1} + (k_eff,l - 1) * jump_{l-1}      size_0 = 1
 *   jump_l = jump_{l-1} * s_l                   jump_0 = 1 (input pixels between neighbouring outputs)
 *
 * Unrolled: size = 1 + sum_l (k_eff,l - 1) * prod_{i<l} s_i. Three 3x3 stride-1 convs see 7x7; a stride
 * multiplies the growth of every later layer. Padding moves the field but does not change its size.
 * @see notebooks/q09-receptive-fields.ipynb
 */
import { argError } from '../errors';
import { checkOneOf, checkOptionKeys } from '../check';
import { ELEMENTWISE_TYPES, type LayerSpec } from './layer-spec';
import { toPair, type Pair } from './output-size';

/** A bare window layer, when no full {@link LayerSpec} is at hand. */
export interface WindowLayer {
  kernelSize: Pair;
  /** default 1 */
  strides?: Pair;
  /** default 1 */
  dilationRate?: Pair;
  name?: string;
}

/** One row of {@link receptiveField}. */
export interface ReceptiveFieldRow {
  index: number;
  name: string;
  /** extent of the (dilated) window of this layer */
  kernel: number;
  stride: number;
  /** distance in input pixels between neighbouring outputs of this layer (product of the strides so far) */
  jump: number;
  /** receptive field of one output of this layer, in input pixels */
  size: number;
}

function windowOf(fn: string, where: string, layer: LayerSpec | WindowLayer, axis: 0 | 1): [number, number, number, string] {
  if (layer === null || typeof layer !== 'object') argError(fn, where, 'must be a layer spec', layer);
  if (!('type' in layer)) {
    const k = toPair(fn, `${where}.kernelSize`, layer.kernelSize)[axis];
    return [k, toPair(fn, `${where}.strides`, layer.strides ?? 1)[axis], toPair(fn, `${where}.dilationRate`, layer.dilationRate ?? 1)[axis], 'window'];
  }
  switch (layer.type) {
    case 'conv2d':
    case 'depthwiseConv2d':
      return [
        toPair(fn, `${where}.kernelSize`, layer.kernelSize)[axis],
        toPair(fn, `${where}.strides`, layer.strides ?? 1)[axis],
        toPair(fn, `${where}.dilationRate`, layer.dilationRate ?? 1)[axis],
        layer.type,
      ];
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const k = toPair(fn, `${where}.poolSize`, layer.poolSize ?? 2);
      return [k[axis], toPair(fn, `${where}.strides`, layer.strides ?? k)[axis], 1, layer.type];
    }
    default:
      if ((ELEMENTWISE_TYPES as readonly string[]).includes(layer.type)) return [1, 1, 1, layer.type];
      // flatten, dense and global pooling see the whole input: no finite window to report.
      return argError(fn, `${where}.type`, 'must be a convolution, pooling or elementwise layer (the field of dense/flatten/global pooling is the whole input)', layer.type);
  }
}

/**
 * Receptive field after every layer of a stack, along one axis.
 * @param layers {@link LayerSpec}s or bare { kernelSize, strides, dilationRate } windows
 * @param opts.axis 'height' (default) or 'width', for non-square kernels
 * @returns one row per layer: kernel extent, stride, jump and receptive field size
 * @throws ArgError when a size is not a positive integer or a layer has no finite window (dense, flatten,
 *   global pooling)
 * @example receptiveField([{ kernelSize: 3 }, { kernelSize: 3 }, { kernelSize: 3 }]).at(-1)!.size  // 7
 * @see notebooks/q09-receptive-fields.ipynb
 */
export function receptiveField(layers: readonly (LayerSpec | WindowLayer)[], opts: { axis?: 'height' | 'width' } = {}): ReceptiveFieldRow[] {
  const fn = 'receptiveField';
  if (!Array.isArray(layers)) argError(fn, 'layers', 'must be an array of layers', layers);
  checkOptionKeys(fn, 'opts', opts, ['axis']);
  const axis = checkOneOf(fn, 'opts.axis', opts.axis ?? 'height', ['height', 'width'] as const) === 'height' ? 0 : 1;
  let size = 1;
  let jump = 1;
  return layers.map((layer, index) => {
    const [k, s, d, type] = windowOf(fn, `layers[${index}]`, layer, axis);
    const kernel = (k - 1) * d + 1;
    size += (kernel - 1) * jump;
    jump *= s;
    return { index, name: layer.name ?? `${type}_${index + 1}`, kernel, stride: s, jump, size };
  });
}
