import { describe, expect, it } from 'vitest';
import { imageGridSpec } from '../../../lib/viz/images';
import { svgToPng, vegaLiteToSvg, VEGA_LITE_SCHEMA } from '../../../lib/viz/render';
import { confusionMatrixSpec } from '../../../lib/viz/confusion';
import { gradientFlowSpec } from '../../../lib/viz/gradient-flow';
import { trainingCurvesSpec } from '../../../lib/viz/training';

const EVIL = '<script>alert("x")</script> & co';

describe('static renders', () => {
  it('renders to a non-empty SVG and a PNG', async () => {
    const svg = await vegaLiteToSvg(imageGridSpec([{ values: [0, 1, 1, 0], height: 2, width: 2, title: 'x' }]));
    expect(svg).toMatch(/^<svg[^>]+width="\d+"/);
    expect(svg).toContain('<path');
    const png = svgToPng(svg);
    expect(Array.from(png.slice(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(png.length).toBeGreaterThan(200);
  });

  it('shows titles and labels as text, never as markup', async () => {
    const specs = [
      trainingCurvesSpec({ loss: [1, 0.5] }, { title: EVIL }),
      gradientFlowSpec([{ name: EVIL, layers: [{ layer: EVIL, value: 1 }] }], { title: EVIL }),
      confusionMatrixSpec([[1, 0], [0, 1]], { classNames: [EVIL, 'b'], title: EVIL }),
    ];
    for (const spec of specs) {
      const svg = await vegaLiteToSvg(spec);
      expect(svg).toContain('&lt;script&gt;');
      expect(svg).not.toContain('<script');
    }
  });

  it('reports a spec that does not compile as an ArgError', async () => {
    await expect(vegaLiteToSvg({ $schema: VEGA_LITE_SCHEMA, mark: 'nonsense' })).rejects.toThrow(/^vegaLiteToSvg: spec must be valid Vega-Lite v5/);
  });
});
