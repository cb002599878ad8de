// lib/viz/png.ts checked against a decoder written for the tests (./png-decode.ts: its own CRC-32, zlib
// inflate, the five row filters undone by hand), and the image figures checked end to end through
// vega's SVG and resvg's PNG.
import { deflateSync } from 'zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, pngDataUrl, upscaleNearest, valuesToPngUrl } from '../../../lib/viz/png';
import { imageGridSpec } from '../../../lib/viz/images';
import { svgToPng, vegaLiteToSvg } from '../../../lib/viz/render';
import { alphaAt, colorDistance, crc32Ref, decodePng, decodePngUrl, rgbAt, schemeColor } from './png-decode';

/** Deterministic bytes (a linear congruential generator), so failures reproduce. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** A PNG made here, row filter chosen per row, to check that the decoder undoes every filter type. */
function handPng(px: Uint8Array, w: number, h: number, ch: number, filters: number[]): Uint8Array {
  const stride = w * ch;
  const raw = new Uint8Array((stride + 1) * h);
  for (let y = 0; y < h; y++) {
    const f = filters[y % filters.length];
    raw[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const a = i >= ch ? px[y * stride + i - ch] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= ch ? px[(y - 1) * stride + i - ch] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f];
      raw[y * (stride + 1) + 1 + i] = (px[y * stride + i] - pred) & 0xff;
    }
  }
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32Ref(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = { 1: 0, 2: 4, 3: 2, 4: 6 }[ch]!;
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]));
}

/** Where each `<image>` of a vega SVG sits: the sum of its ancestors' translate(x, y) and its own. */
function imageOrigins(svg: string): [number, number][] {
  const stack: [number, number][] = [[0, 0]];
  const out: [number, number][] = [];
  const translate = (attrs: string): [number, number] => {
    const m = /transform="translate\(([-\d.]+),\s*([-\d.]+)\)"/.exec(attrs);
    return m ? [+m[1], +m[2]] : [0, 0];
  };
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, close, tag, attrs, selfClose] = m;
    const [x, y] = stack[stack.length - 1];
    if (tag === 'g' && close) stack.pop();
    else if (tag === 'g' && !selfClose) {
      const [dx, dy] = translate(attrs);
      stack.push([x + dx, y + dy]);
    } else if (tag === 'image') {
      const [dx, dy] = translate(attrs);
      out.push([x + dx, y + dy]);
    }
  }
  return out;
}

describe('the test decoder', () => {
  it('has a CRC-32 that gives the check value of the standard, as lib/viz/png.ts does', () => {
    const check = new Uint8Array(Buffer.from('123456789', 'ascii'));
    expect(crc32Ref(check)).toBe(0xcbf43926);
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Ref(new Uint8Array(0))).toBe(0);
    const b = bytes(1000, 7);
    expect(crc32(b)).toBe(crc32Ref(b));
  });

  it('undoes the five row filters (None, Sub, Up, Average, Paeth) of a PNG made by hand', () => {
    for (const ch of [1, 2, 3, 4]) {
      const px = bytes(7 * 10 * ch, ch);
      const img = decodePng(handPng(px, 7, 10, ch, [0, 1, 2, 3, 4]));
      expect([img.width, img.height, img.channels]).toEqual([7, 10, ch]);
      expect(Buffer.from(img.pixels).equals(Buffer.from(px))).toBe(true);
    }
  });

  it('rejects a chunk whose CRC does not match', () => {
    const png = handPng(bytes(12, 1), 2, 2, 3, [0]);
    png[8 + 8 + 3] ^= 1; // a byte of the IHDR data
    expect(() => decodePng(png)).toThrow('bad CRC of chunk IHDR');
  });
});

describe('encodePng', () => {
  it('round-trips gray, gray + alpha, RGB and RGBA images byte for byte', () => {
    for (const ch of [1, 2, 3, 4] as const) {
      for (const [w, h] of [[1, 1], [5, 3], [31, 17]]) {
        // Noise, and a smooth ramp (which the encoder's Sub and Up filters compress).
        const noise = bytes(w * h * ch, 100 * ch + w);
        const ramp = Uint8Array.from({ length: w * h * ch }, (_, i) => (Math.floor(i / ch) % w) * 8 + (i % ch));
        for (const px of [noise, ramp]) {
          const img = decodePng(encodePng(px, w, h, ch));
          expect(img.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
          expect([img.width, img.height, img.channels, img.colorType]).toEqual([w, h, ch, { 1: 0, 2: 4, 3: 2, 4: 6 }[ch]]);
          expect(Buffer.from(img.pixels).equals(Buffer.from(px))).toBe(true);
        }
      }
    }
  });

  it('writes a data URL that decodes to the same image, and rejects pixels of the wrong size', () => {
    const px = Uint8Array.from([0, 128, 255, 7, 8, 9]);
    const url = pngDataUrl(encodePng(px, 2, 1, 3));
    expect(url.startsWith('data:image/png;base64,iVBORw0KGgo')).toBe(true);
    expect([...decodePngUrl(url).pixels]).toEqual([...px]);
    expect(() => encodePng(px, 2, 2, 3)).toThrow('encodePng: pixels must be a Uint8Array of 12 bytes, got 6');
    expect(() => encodePng(px, 0, 1, 3)).toThrow('encodePng: width must be a positive integer, got 0');
  });
});

describe('upscaleNearest', () => {
  it('makes each pixel a factor x factor block, checked pixel by pixel and through the PNG', () => {
    for (const [ch, factor] of [[1, 3], [3, 4], [4, 2]]) {
      const [w, h] = [5, 4];
      const px = bytes(w * h * ch, 9 * ch);
      const big = upscaleNearest(px, w, h, ch, factor);
      const [W, H] = [w * factor, h * factor];
      expect(big).toHaveLength(W * H * ch);
      const img = decodePng(encodePng(big, W, H, ch as 1 | 3 | 4));
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          for (let c = 0; c < ch; c++) {
            const want = px[(Math.floor(y / factor) * w + Math.floor(x / factor)) * ch + c];
            expect(big[(y * W + x) * ch + c]).toBe(want);
            expect(img.pixels[(y * W + x) * ch + c]).toBe(want);
          }
        }
      }
    }
    expect(upscaleNearest(Uint8Array.from([0, 255]), 2, 1, 1, 2)).toEqual(Uint8Array.from([0, 0, 255, 255, 0, 0, 255, 255]));
  });

  it('colours values with a vega scheme and pads a larger canvas with transparent pixels', () => {
    const values = [0, 0.25, 0.5, 1];
    const img = decodePngUrl(valuesToPngUrl('t', values, 2, 2, { scheme: 'greys', domain: [0, 1], factor: 3, canvas: { width: 8, height: 7 } }));
    expect([img.width, img.height, img.channels]).toEqual([8, 7, 2]); // gray + alpha
    for (let y = 0; y < 7; y++) {
      for (let x = 0; x < 8; x++) {
        const inside = x < 6 && y < 6;
        expect(alphaAt(img, x, y)).toBe(inside ? 255 : 0);
        if (inside) expect(colorDistance(rgbAt(img, x, y), schemeColor('greys', values[Math.floor(y / 3) * 2 + Math.floor(x / 3)], 0, 1))).toBe(0);
      }
    }
    const rgb = decodePngUrl(valuesToPngUrl('t', values, 2, 2, { scheme: 'viridis', domain: [0, 0.5] }));
    expect(rgb.channels).toBe(3);
    values.forEach((v, p) => expect(rgbAt(rgb, p % 2, Math.floor(p / 2))).toEqual(schemeColor('viridis', v, 0, 0.5)));
  });
});

describe('image figures end to end', () => {
  it('imageGridSpec -> vegaLiteToSvg -> svgToPng shows each cell at its grey level, row 0 on top', async () => {
    const a = [0, 1 / 3, 2 / 3, 1];
    const b = [1, 2 / 3, 1 / 3, 0];
    const cell = 20;
    const spec = imageGridSpec([{ values: a, height: 2, width: 2 }, { values: b, height: 2, width: 2 }], { cellSize: cell });
    const svg = await vegaLiteToSvg(spec);
    const origins = imageOrigins(svg);
    expect(origins).toHaveLength(2);
    expect(origins[1][0]).toBeGreaterThan(origins[0][0] + 2 * cell); // side by side, in order
    const scale = 2;
    const png = decodePng(svgToPng(svg, { scale }));
    let worst = 0;
    [a, b].forEach((values, k) => {
      const [ox, oy] = origins[k];
      for (let p = 0; p < 4; p++) {
        const [r, c] = [Math.floor(p / 2), p % 2];
        const px = rgbAt(png, Math.round((ox + (c + 0.5) * cell) * scale), Math.round((oy + (r + 0.5) * cell) * scale));
        worst = Math.max(worst, colorDistance(px, schemeColor('greys', values[p], 0, 1)));
      }
    });
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('keeps a grid of 16 digits of 28x28 under 100 kB of JSON', () => {
    // Digit-like strokes plus noise: harder to compress than a real digit's flat background.
    const noise = bytes(16 * 784, 3);
    const images = Array.from({ length: 16 }, (_, k) => ({
      values: Array.from({ length: 784 }, (_, p) => {
        const [y, x] = [Math.floor(p / 28), p % 28];
        const ring = Math.abs(Math.hypot(y - 14, x - 14) - 5 - (k % 4)) < 2 ? 1 : 0;
        return Math.min(1, ring + noise[k * 784 + p] / 2550);
      }),
      height: 28,
      width: 28,
      title: `label ${k % 10}`,
    }));
    const json = JSON.stringify(imageGridSpec(images));
    expect(json.length).toBeLessThan(100_000);
    expect(json.match(/data:image\/png;base64,/g)).toHaveLength(16);
  });
});
