import { describe, expect, it, vi } from 'vitest';
import { createRequire } from 'module';
import { clearOutput, encodeBundle, html, inKernel, LiveDisplay, show } from '../../../lib/display/kernel-output';
import { fakeKernel } from './fake-kernel';

describe('encodeBundle', () => {
  it('sends bytes as base64, JSON types as objects, text as strings, and adds text/plain', () => {
    const data = encodeBundle({ 'image/png': new Uint8Array([1, 2, 3]), 'application/vnd.vegalite.v5+json': { mark: 'bar' }, 'text/html': '<b>x</b>' });
    expect(data['image/png']).toBe('AQID');
    expect(data['application/vnd.vegalite.v5+json']).toEqual({ mark: 'bar' });
    expect(data['text/html']).toBe('<b>x</b>');
    expect(data['text/plain']).toBe('<figure: image/png, application/vnd.vegalite.v5+json, text/html>');
  });

  it('rejects empty bundles, bad MIME keys and objects under non-JSON types', () => {
    expect(() => encodeBundle({})).toThrow('encodeBundle: bundle must have at least one MIME type, got {}');
    expect(() => encodeBundle({ png: 'x' })).toThrow('encodeBundle: bundle keys must be MIME types like image/png, got "png"');
    expect(() => encodeBundle({ 'image/svg+xml': {} })).toThrow("encodeBundle: bundle['image/svg+xml'] must be a string or bytes");
  });
});

describe('show outside and inside a kernel', () => {
  it('prints the text/plain part outside a kernel', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(inKernel()).toBe(false);
    show({ 'image/svg+xml': '<svg/>', 'text/plain': 'a figure' });
    html('<table><tr><td>1</td></tr></table>');
    expect(log.mock.calls.map((c) => c[0])).toEqual(['a figure', '1']);
  });

  it('replaces a LiveDisplay in place: one display id, update after the first', () => {
    const writes = fakeKernel();
    const live = new LiveDisplay();
    live.update({ 'text/plain': 'a' });
    live.update({ 'text/plain': 'b' });
    expect(writes.map((w) => w.update)).toEqual([false, true]);
    expect(new Set(writes.map((w) => w.content.transient.display_id))).toEqual(new Set([live.id]));
  });
});

describe('clearOutput', () => {
  it('asks the kernel to clear, waiting or not', () => {
    fakeKernel();
    const jupyter = createRequire(__filename)('tslab/dist/jupyter') as { lastWriteDisplayData: { clear?: (w: boolean) => void } };
    const clears: boolean[] = [];
    jupyter.lastWriteDisplayData.clear = (w) => clears.push(w);
    clearOutput();
    clearOutput({ wait: true });
    expect(clears).toEqual([false, true]);
  });

  it('does nothing outside a kernel, and names what is wrong', () => {
    expect(() => clearOutput()).not.toThrow();
    expect(() => clearOutput({ wait: 1 as never })).toThrow('clearOutput: opts.wait must be true or false, got 1');
    expect(() => clearOutput({ wiat: true } as never)).toThrow('clearOutput: opts');
    fakeKernel();
    expect(() => clearOutput()).toThrow("clearOutput: this kernel's display hook cannot clear");
  });
});
