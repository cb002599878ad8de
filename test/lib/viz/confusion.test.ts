import { describe, expect, it } from 'vitest';
import { confusionMatrixSpec } from '../../../lib/viz/confusion';
import { marks, renderQuietly, rows } from './helpers';

describe('confusionMatrixSpec', () => {
  it('counts (true, predicted) pairs into cells and reports the accuracy', async () => {
    // by hand: (0,0) x2, (1,2) x1, (1,1) x1, (2,2) x2, (2,1) x1 -> 5 of 7 correct
    const spec = confusionMatrixSpec({ labels: [0, 1, 2, 2, 1, 0, 2], predictions: [0, 2, 2, 2, 1, 0, 1] });
    expect(marks(spec)).toEqual(['rect', 'text']);
    const cell = (t: string, p: string) => rows(spec).find((r) => r.true === t && r.predicted === p)!.count;
    expect([cell('0', '0'), cell('1', '2'), cell('1', '1'), cell('2', '2'), cell('2', '1'), cell('0', '1')]).toEqual([2, 1, 1, 2, 1, 0]);
    expect(rows(spec)).toHaveLength(9);
    expect((spec.title as { subtitle: string }).subtitle).toBe('7 examples, accuracy 71.4%');
    expect(spec.width).toBe(3 * 28);
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('takes a matrix of counts and class names', () => {
    const spec = confusionMatrixSpec([[3, 1], [0, 4]], { classNames: ['cat', 'dog'] });
    expect(rows(spec).find((r) => r.true === 'cat' && r.predicted === 'dog')!.count).toBe(1);
  });

  it('rejects ids out of range and mismatched lengths', () => {
    expect(() => confusionMatrixSpec({ labels: [0, 3], predictions: [0, 1] }, { numClasses: 3 })).toThrow(
      'confusionMatrixSpec: labels[1] must be an integer class id in [0, 3), got 3',
    );
    expect(() => confusionMatrixSpec({ labels: [0], predictions: [0, 1] })).toThrow(
      'confusionMatrixSpec: predictions must have as many entries as labels (1), got 2',
    );
    expect(() => confusionMatrixSpec([[1, 2]])).toThrow('confusionMatrixSpec: input must be a square matrix of counts, got [2]');
  });
});
