/**
 * The pieces the image figures of lib/viz share: a Vega-Lite `image` mark that shows one PNG data URL
 * (lib/viz/png.ts) as a sharp picture, an invisible layer that keeps a colour legend for the values the
 * picture stands for, and the sizing rule that keeps a grid of pictures within a notebook cell.
 * Internal to lib/viz (not exported from the barrel).
 * @see notebooks/q07-feature-maps.ipynb
 */

/**
 * Widest figure a grid builder makes by default, in px: the classic Notebook's output area is about
 * 900 px wide. Explicit `columns` and `cellSize` are kept even when they make a wider figure.
 */
export const MAX_FIGURE_WIDTH = 880;

/** Room a vertical gradient legend takes beside a figure when vega lays it out headless, px. */
export const LEGEND_WIDTH = 110;

/** Vega-Lite's default spacing between facet cells, px. */
export const FACET_SPACING = 20;

/**
 * Width vega gives a caption when it lays out a figure headless (no canvas to measure text): 0.8 em per
 * character (plus a margin). Captions wider than a picture widen its column, so the sizing rule counts them.
 */
export function captionWidth(text: string, fontSize = 10): number {
  return Math.ceil(0.8 * fontSize * text.length) + 4;
}

/**
 * One `image` mark drawing the PNG of field `field` (default 'url') over a width x height panel, from its
 * top-left corner, without smoothing and without an aria label (which would repeat the whole URL).
 */
export function imageLayer(width: number, height: number, field = 'url'): Record<string, unknown> {
  return {
    mark: { type: 'image', aspect: false, smooth: false, aria: false },
    encoding: {
      x: { value: 0 },
      x2: { value: width },
      y: { value: 0 },
      y2: { value: height },
      url: { field, type: 'nominal' },
    },
  };
}

/**
 * An invisible layer whose only output is the colour legend of a quantitative scale: the same scheme
 * and domain the picture's colours were computed with, so the legend reads the picture's values.
 * `field` must hold a number in every datum of the layer's data (its value is not drawn).
 */
export function legendLayer(field: string, scheme: string, domain: readonly [number, number], title: string): Record<string, unknown> {
  return {
    mark: { type: 'point', opacity: 0, aria: false },
    encoding: {
      x: { value: 0 },
      y: { value: 0 },
      color: { field, type: 'quantitative', title, scale: { scheme, domain: [domain[0], domain[1]] } },
    },
  };
}

/** What {@link fitGrid} decides. */
export interface GridFit {
  columns: number;
  cell: number;
}

/**
 * Columns and pixels per image pixel for a grid of `count` pictures of `width` px (at cell 1), so that
 * the grid fits in `available` px (default {@link MAX_FIGURE_WIDTH}):
 * - both given: kept as given;
 * - columns given: the cell is the default, lowered (not below 1) until the columns fit;
 * - otherwise: the cell (given, or the default lowered until one picture fits) and as many columns as fit, at most `maxColumns`, balanced
 *   over the rows (16 pictures that fit 6 a row are laid out 6, 6, 4; 9 that fit 8 are laid out 5, 4).
 * A column is as wide as its picture or its caption (see {@link captionWidth}), plus `spacing`.
 */
export function fitGrid(
  count: number,
  width: number,
  o: { columns?: number; cell?: number; defaultCell: number; maxColumns?: number; caption?: number; spacing?: number; available?: number },
): GridFit {
  const spacing = o.spacing ?? FACET_SPACING;
  const available = Math.max(1, o.available ?? MAX_FIGURE_WIDTH);
  const caption = o.caption ?? 0;
  const pitch = (cell: number) => Math.max(width * cell, caption) + spacing;
  if (o.columns !== undefined && o.cell !== undefined) return { columns: o.columns, cell: o.cell };
  if (o.columns !== undefined) {
    let cell = o.defaultCell;
    while (cell > 1 && o.columns * pitch(cell) - spacing > available) cell--;
    return { columns: o.columns, cell };
  }
  let cell = o.cell ?? o.defaultCell;
  if (o.cell === undefined) while (cell > 1 && pitch(cell) - spacing > available) cell--;
  const most = Math.max(1, Math.min(count, o.maxColumns ?? 8, Math.floor((available + spacing) / pitch(cell))));
  const rows = Math.ceil(count / most);
  return { columns: Math.ceil(count / rows), cell };
}
