import { describe, expect, it } from 'vitest';
import { textTable } from '../../../lib/viz/text-table';

describe('textTable', () => {
  it('sizes columns to the widest cell, numbers right and text left, with a rule under the header', () => {
    const t = textTable(['name', 'params'], [['shallow', 1234], ['deep-narrow', 5]]);
    expect(t.split('\n')).toEqual([
      'name        | params',
      '----------- | ------',
      'shallow     |   1234',
      'deep-narrow |      5',
    ]);
  });
  it('aligns as told and joins with the given separator; a header wider than its cells sets the width', () => {
    const t = textTable(['a', 'bbbb'], [['x', 'y']], { align: ['right', 'right'], separator: '  ' });
    expect(t.split('\n')).toEqual(['a  bbbb', '-  ----', 'x     y']);
  });
  it('prints a header and its rule for no rows, and a row can be split back on the separator', () => {
    expect(textTable(['k', 'v'], [])).toBe('k | v\n- | -');
    const line = textTable(['k', 'v'], [['lr', '0.001']]).split('\n')[2];
    expect(line.split(' | ').map((s) => s.trim())).toEqual(['lr', '0.001']);
  });
  it('rejects bad input in one line naming the argument', () => {
    expect(() => textTable([], [])).toThrow('textTable: header must be a non-empty array of column titles, got []');
    expect(() => textTable(['a', 'b'], [[1]])).toThrow('textTable: rows[0] must have 2 cells, one per column, got [1]');
    expect(() => textTable(['a'], [[NaN]])).toThrow('textTable: rows[0][0] must be a string or a finite number, got NaN');
    expect(() => textTable(['a'], [[1]], { align: ['center' as never] })).toThrow("textTable: opts.align must give 'left' or 'right' for each of the 1 columns");
  });
});
