/**
 * Grids of grayscale images (digits, filters, feature maps) as Vega-Lite heatmaps.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import { argError } from '../errors';
import { checkNumbers, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalText } from './data';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** One image of a grid. */
export interface GridImage {
  /** Pixel values, row-major [height, width]. */
  values: ArrayLike<number>;
  height: number;
  width: number;
  /** Caption shown above the image. */
  title?: string;
}

/**
 * A grid of grayscale images sharing one color scale.
 * @param opts.columns images per row (default min(count, 8)); opts.cellSize pixels per image cell (default 4);
 *   opts.title figure title; opts.scheme Vega color scheme (default 'greys')
 * @throws ArgError when the list is empty, an image's values are not height*width finite numbers, or an
 *   option is unknown or of the wrong type
 * @example imageGridSpec([{ values, height: 28, width: 28, title: 'label 7' }])
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function imageGridSpec(
  images: readonly GridImage[],
  opts: { columns?: number; cellSize?: number; title?: string; scheme?: string } = {},
): VegaLiteSpec {
  const fn = 'imageGridSpec';
  if (!Array.isArray(images) || images.length === 0) argError(fn, 'images', 'must be a non-empty array of { values, height, width }', images);
  checkOptionKeys(fn, 'opts', opts, ['columns', 'cellSize', 'title', 'scheme']);
  const title = optionalText(fn, 'opts.title', opts.title);
  const scheme = optionalText(fn, 'opts.scheme', opts.scheme, 'greys');
  const columns = checkPositiveInt(fn, 'opts.columns', opts.columns ?? Math.min(images.length, 8));
  const cell = checkPositiveInt(fn, 'opts.cellSize', opts.cellSize ?? 4);
  const values: { img: number; caption: string; row: number; col: number; v: number }[] = [];
  // Captions may repeat (two images of a 7), so the facet key carries the index too.
  images.forEach((im, k) => {
    if (im === null || typeof im !== 'object') argError(fn, `images[${k}]`, 'must be { values, height, width, title? }', im);
    checkNumbers(fn, `images[${k}].values`, im.values);
    optionalText(fn, `images[${k}].title`, im.title);
    checkPositiveInt(fn, `images[${k}].height`, im.height);
    checkPositiveInt(fn, `images[${k}].width`, im.width);
    if (im.values.length !== im.height * im.width) {
      argError(fn, `images[${k}].values`, `must have height*width = ${im.height * im.width} entries`, im.values.length);
    }
    const caption = `${k}: ${im.title ?? ''}`.replace(/: $/, '');
    for (let r = 0; r < im.height; r++) {
      for (let c = 0; c < im.width; c++) values.push({ img: k, caption, row: r, col: c, v: im.values[r * im.width + c] });
    }
  });
  const { height, width } = images[0];
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title ? { title } : {}),
    data: { values },
    facet: { field: 'caption', type: 'ordinal', sort: { field: 'img' }, header: { title: null } },
    columns,
    spec: {
      width: width * cell,
      height: height * cell,
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'col', type: 'ordinal', axis: null },
        y: { field: 'row', type: 'ordinal', axis: null },
        color: { field: 'v', type: 'quantitative', scale: { scheme }, legend: null },
      },
    },
    config: { view: { stroke: null } },
  };
}
