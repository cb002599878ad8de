/**
 * Grids of grayscale images (digits, filters, feature maps) as Vega-Lite figures of PNG images.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import { argError } from '../errors';
import { checkNumbers, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalText } from './data';
import { captionWidth, fitGrid, imageLayer } from './image-marks';
import { extent, schemeInterpolator, valuesToPngUrl } from './png';
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
 * A grid of grayscale images sharing one color scale (min..max of all values, like a Vega-Lite
 * quantitative scale; high values are dark in 'greys'). Each image is one PNG (an `image` mark), each
 * image pixel a sharp cellSize x cellSize block; the facet cells have the first image's size, and a
 * smaller image sits in the top-left corner of its cell at the same pixel size.
 * @param opts.columns images per row; opts.cellSize pixels per image pixel (default 4); by default the
 *   grid fits in {@link MAX_FIGURE_WIDTH} (880) px: with neither given, as many columns as fit (at most
 *   8, balanced over the rows); with columns given, the default cell shrinks (not below 1) to fit;
 *   opts.title figure title; opts.scheme Vega color scheme (default 'greys')
 * @throws ArgError when the list is empty, an image's values are not height*width finite numbers, an
 *   option is unknown or of the wrong type, or vega has no such scheme
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
  schemeInterpolator(fn, 'opts.scheme', scheme);
  const columnsOpt = opts.columns === undefined ? undefined : checkPositiveInt(fn, 'opts.columns', opts.columns);
  const cellOpt = opts.cellSize === undefined ? undefined : checkPositiveInt(fn, 'opts.cellSize', opts.cellSize);
  // Captions may repeat (two images of a 7), so the facet key carries the index too.
  const captions = images.map((im, k) => {
    if (im === null || typeof im !== 'object') argError(fn, `images[${k}]`, 'must be { values, height, width, title? }', im);
    checkNumbers(fn, `images[${k}].values`, im.values);
    optionalText(fn, `images[${k}].title`, im.title);
    checkPositiveInt(fn, `images[${k}].height`, im.height);
    checkPositiveInt(fn, `images[${k}].width`, im.width);
    if (im.values.length !== im.height * im.width) {
      argError(fn, `images[${k}].values`, `must have height*width = ${im.height * im.width} entries`, im.values.length);
    }
    return `${k}: ${im.title ?? ''}`.replace(/: $/, '');
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const im of images) {
    const [a, b] = extent(im.values);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  const { height, width } = images[0];
  // Captions wider than their picture are wrapped (at spaces) to the picture's width, so that long
  // captions do not widen the columns past the figure width; a word longer than that stays whole.
  const bare = fitGrid(images.length, width, { columns: columnsOpt, cell: cellOpt, defaultCell: 4 });
  const wrapped = captions.map((c) => wrapCaption(c, width * bare.cell));
  const { columns, cell } = fitGrid(images.length, width, {
    columns: columnsOpt,
    cell: cellOpt,
    defaultCell: 4,
    caption: Math.max(...wrapped.flatMap((c) => c.split('\n').map((line) => captionWidth(line)))),
  });
  // Every cell of the facet is the first image's size; all images are drawn at the same pixel size from the
  // top-left corner (a 14x14 image next to a 28x28 one fills a quarter of its cell), the rest transparent.
  const [cw, ch] = [width * cell, height * cell];
  const wMax = Math.max(...images.map((im) => im.width));
  const hMax = Math.max(...images.map((im) => im.height));
  const factor = Math.max(1, Math.min(cell, Math.floor(cw / wMax), Math.floor(ch / hMax)));
  const values = images.map((im, k) => ({
    img: k,
    caption: wrapped[k],
    url: valuesToPngUrl(fn, im.values, im.height, im.width, { scheme, domain: [lo, hi], factor, canvas: { width: cw, height: ch } }),
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title ? { title } : {}),
    data: { values },
    facet: { field: 'caption', type: 'ordinal', sort: { field: 'img' }, header: { title: null, labelExpr: "split(datum.value, '\\n')" } },
    columns,
    spec: { width: cw, height: ch, ...imageLayer(cw, ch) },
    config: { view: { stroke: null } },
  };
}

/** `text` broken at spaces into lines of at most `px` pixels wide (see captionWidth), joined by newlines. */
function wrapCaption(text: string, px: number): string {
  if (captionWidth(text) <= px) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && captionWidth(next) > px) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines.join('\n');
}
