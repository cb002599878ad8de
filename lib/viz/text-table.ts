/**
 * A plain-text table for printed results: columns sized to their widest cell, numbers right-aligned,
 * text left-aligned, a rule under the header. Notebooks print their tables with it instead of padding
 * each cell by hand, so every table of the guide reads the same and a test can split a row on ` | `.
 * @see notebooks/q22-computational-challenges.ipynb
 */
import { argError } from '../errors';
import { checkOptionKeys, checkString } from '../check';

/** A cell: a number (printed with String(), so format it first with toFixed where digits matter) or text. */
export type TextCell = string | number;

/** Options of {@link textTable}. */
export interface TextTableOptions {
  /** Alignment per column; default 'right' for a column whose cells are all numbers, else 'left'. */
  align?: readonly ('left' | 'right')[];
  /** Printed between columns. Default ' | '. */
  separator?: string;
}

/**
 * The rows under `header` as one string of lines: the header, a rule of dashes, then one line per row.
 * @param header column titles, at least one
 * @param rows each with exactly header.length cells
 * @throws ArgError when header is empty or holds a non-string, a row has another length, a cell is neither a
 *   finite number nor a string, align has another length than header or a value other than 'left' and
 *   'right', or an option is unknown or of the wrong type
 * @example console.log(textTable(['depth', 'ms'], [[2, '1.5'], [16, '12.0']]))
 *   // depth | ms
 *   // ----- | ----
 *   //     2 | 1.5
 *   //    16 | 12.0
 * @see notebooks/q22-computational-challenges.ipynb
 */
export function textTable(header: readonly string[], rows: readonly (readonly TextCell[])[], opts: TextTableOptions = {}): string {
  const fn = 'textTable';
  if (!Array.isArray(header) || header.length === 0) argError(fn, 'header', 'must be a non-empty array of column titles', header);
  header.forEach((h, c) => checkString(fn, `header[${c}]`, h));
  checkOptionKeys(fn, 'opts', opts, ['align', 'separator']);
  if (!Array.isArray(rows)) argError(fn, 'rows', 'must be an array of rows', rows);
  const n = header.length;
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== n) argError(fn, `rows[${r}]`, `must have ${n} cells, one per column`, row);
    row.forEach((cell, c) => {
      if (!(typeof cell === 'string' || (typeof cell === 'number' && Number.isFinite(cell)))) {
        argError(fn, `rows[${r}][${c}]`, 'must be a string or a finite number', cell);
      }
    });
  });
  const align = opts.align ?? header.map((_, c) => (rows.length > 0 && rows.every((row) => typeof row[c] === 'number') ? 'right' : 'left'));
  if (align.length !== n || align.some((a) => a !== 'left' && a !== 'right')) {
    argError(fn, 'opts.align', `must give 'left' or 'right' for each of the ${n} columns`, align);
  }
  const sep = opts.separator === undefined ? ' | ' : checkString(fn, 'opts.separator', opts.separator);
  const text = [header.map(String), ...rows.map((row) => row.map(String))];
  const widths = header.map((_, c) => Math.max(...text.map((line) => line[c].length)));
  const fit = (cell: string, c: number) => (align[c] === 'right' ? cell.padStart(widths[c]) : cell.padEnd(widths[c]));
  const lines = text.map((line) => line.map(fit).join(sep).trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join(sep));
  return lines.join('\n');
}
