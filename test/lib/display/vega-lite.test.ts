import { describe, expect, it } from 'vitest';
import { showVegaLite, titleText, vegaLiteBundle } from '../../../lib/display/vega-lite';
import { imageGridSpec } from '../../../lib/viz/images';
import { VEGA_LITE_MIME } from '../../../lib/viz/render';
import { fakeKernel } from './fake-kernel';

const digit = { values: [0, 1, 1, 0], height: 2, width: 2, title: 'x' };

describe('showVegaLite', () => {
  it('sends a Vega-Lite figure as one display_data with spec, SVG, PNG and text', async () => {
    const writes = fakeKernel();
    const spec = imageGridSpec([digit], { title: 'digits' });
    await showVegaLite(spec);
    expect(writes).toHaveLength(1);
    const data = writes[0].content.data;
    expect(Object.keys(data).sort()).toEqual([VEGA_LITE_MIME, 'image/png', 'image/svg+xml', 'text/plain'].sort());
    expect(data[VEGA_LITE_MIME]).toBe(spec);
    expect(String(data['image/svg+xml'])).toMatch(/^<svg/);
    expect(Buffer.from(String(data['image/png']), 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(data['text/plain']).toBe('<Vega-Lite figure: digits>');
  });
});

describe('vegaLiteBundle', () => {
  it('uses the title object text for text/plain', async () => {
    const b = await vegaLiteBundle({ ...imageGridSpec([digit]), title: { text: 'T', subtitle: 's' } });
    expect(b['text/plain']).toBe('<Vega-Lite figure: T>');
  });
});

describe('titleText', () => {
  it('reads a string or { text } title, and says figure when there is none', () => {
    expect(titleText('loss')).toBe('loss');
    expect(titleText({ text: 'loss', subtitle: 'epoch 3' })).toBe('loss');
    expect([titleText(''), titleText(undefined), titleText({ text: 3 })]).toEqual(['figure', 'figure', 'figure']);
  });
});
