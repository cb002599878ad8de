/**
 * PNG images for figures: a small encoder on Node's zlib, nearest-neighbour upscaling, and the mapping
 * of values to colours with vega's own colour schemes. The image figures of lib/viz draw each picture as
 * ONE Vega-Lite `image` mark whose url is such a PNG (a `data:image/png;base64,` URL) instead of one
 * `rect` per pixel, which kept executed notebooks at megabytes per figure.
 *
 * Colours are those vega would have drawn: a quantitative scale with `scheme` maps v to
 * `scheme((v - lo) / (hi - lo))` (t clamped to [0, 1]; t = 0.5 when lo = hi, as d3's linear scale).
 * Pixels are enlarged by an integer factor here, so they stay sharp squares whatever the viewer does
 * (the marks also ask for no smoothing: `image-rendering: pixelated`).
 * Internal to lib/viz (not exported from the barrel).
 * @see notebooks/q07-feature-maps.ipynb
 */
import { deflateSync } from 'zlib';
import * as vega from 'vega';
import { argError } from '../errors';
import { MAX_ELEMENTS } from '../check';

/** 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA: 8 bits per sample. */
export type PngChannels = 1 | 2 | 3 | 4;

/** PNG colour type per channel count (PNG spec, 11.2.2 IHDR). */
const COLOR_TYPE: Record<PngChannels, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (ISO 3309, the one PNG chunks carry), by table.
 * @example crc32(Buffer.from('123456789'))  // 0xcbf43926
 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function checkSize(fn: string, width: number, height: number, channels: number): void {
  if (!Number.isInteger(width) || width < 1) argError(fn, 'width', 'must be a positive integer', width);
  if (!Number.isInteger(height) || height < 1) argError(fn, 'height', 'must be a positive integer', height);
  if (!(width * height * channels <= MAX_ELEMENTS)) argError(fn, 'width', `must leave at most ${MAX_ELEMENTS} samples (2^28)`, [width, height]);
}

/**
 * Encode 8-bit pixels as a PNG file. Each row gets the filter (None, Sub or Up) with the smallest sum of
 * absolute residuals, then zlib's deflate (level 9).
 * @param pixels row-major, `channels` bytes per pixel, width*height*channels bytes
 * @param channels 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA
 * @throws ArgError when the sizes do not match the pixels
 * @example encodePng(new Uint8Array([0, 255]), 2, 1, 1)  // a 2x1 black-and-white PNG
 */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: PngChannels): Uint8Array {
  const fn = 'encodePng';
  if (!(channels in COLOR_TYPE)) argError(fn, 'channels', 'must be 1, 2, 3 or 4', channels);
  checkSize(fn, width, height, channels);
  const stride = width * channels;
  if (!(pixels instanceof Uint8Array) || pixels.length !== stride * height) argError(fn, 'pixels', `must be a Uint8Array of ${stride * height} bytes`, pixels?.length);
  const raw = new Uint8Array((stride + 1) * height);
  const line = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : undefined;
    let best = 0;
    let bestCost = Infinity;
    for (const type of prev ? [0, 1, 2] : [0, 1]) {
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const left = i >= channels ? row[i - channels] : 0;
        const r = (row[i] - (type === 0 ? 0 : type === 1 ? left : prev![i])) & 0xff;
        cost += r < 128 ? r : 256 - r;
      }
      if (cost < bestCost) [best, bestCost] = [type, cost];
    }
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? row[i - channels] : 0;
      line[i] = (row[i] - (best === 0 ? 0 : best === 1 ? left : prev![i])) & 0xff;
    }
    raw[y * (stride + 1)] = best;
    raw.set(line, y * (stride + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOR_TYPE[channels];
  // compression 0, filter method 0, no interlace: bytes 10-12 stay 0
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out = Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * A PNG file as a `data:image/png;base64,...` URL (what an `image` mark's url takes).
 * @example pngDataUrl(encodePng(px, w, h, 1))  // 'data:image/png;base64,iVBORw0KGgo...'
 */
export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`;
}

/**
 * Enlarge an image by an integer factor, each pixel becoming a factor x factor block (nearest neighbour).
 * @example upscaleNearest(new Uint8Array([0, 255]), 2, 1, 1, 2)  // [0, 0, 255, 255, 0, 0, 255, 255]
 */
export function upscaleNearest(pixels: Uint8Array, width: number, height: number, channels: number, factor: number): Uint8Array {
  const fn = 'upscaleNearest';
  if (!Number.isInteger(factor) || factor < 1) argError(fn, 'factor', 'must be a positive integer', factor);
  if (factor === 1) return pixels;
  checkSize(fn, width * factor, height * factor, channels);
  const outStride = width * factor * channels;
  const out = new Uint8Array(outStride * height * factor);
  for (let y = 0; y < height; y++) {
    const row = out.subarray(y * factor * outStride, (y * factor + 1) * outStride);
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < factor; k++) {
        for (let c = 0; c < channels; c++) row[(x * factor + k) * channels + c] = pixels[(y * width + x) * channels + c];
      }
    }
    for (let k = 1; k < factor; k++) out.copyWithin((y * factor + k) * outStride, y * factor * outStride, (y * factor + 1) * outStride);
  }
  return out;
}

/** Parse a CSS colour as vega's schemes write it ('rgb(r, g, b)', 'rgba(...)', '#rgb', '#rrggbb'). */
export function parseColor(fn: string, s: string): [number, number, number] {
  const m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(s);
  if (m) return [Math.round(+m[1]), Math.round(+m[2]), Math.round(+m[3])];
  const h = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s);
  if (h) {
    const x = h[1].length === 3 ? h[1].replace(/./g, (d) => d + d) : h[1];
    return [parseInt(x.slice(0, 2), 16), parseInt(x.slice(2, 4), 16), parseInt(x.slice(4, 6), 16)];
  }
  return argError(fn, 'scheme', 'must give colours as rgb() or #rrggbb', s);
}

/**
 * The interpolator of a vega colour scheme (t in [0, 1] -> colour string); a discrete scheme is
 * interpolated between its colours.
 * @throws ArgError (naming `fn` and `arg`) when vega has no scheme of that name
 */
export function schemeInterpolator(fn: string, arg: string, name: string): (t: number) => string {
  const v = vega as unknown as { scheme(n: string): unknown; interpolateColors(c: string[]): (t: number) => string };
  const s = typeof name === 'string' ? v.scheme(name.toLowerCase()) : undefined;
  if (typeof s === 'function') return s as (t: number) => string;
  if (Array.isArray(s) && s.length > 0) return v.interpolateColors(s as string[]);
  return argError(fn, arg, "must name a vega colour scheme (e.g. 'greys', 'viridis', 'blueorange')", name);
}

/** Smallest and largest value (the domain a Vega-Lite quantitative colour scale takes from its data). */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  return [lo, hi];
}

/** Where v falls in the domain, as vega's linear colour scale computes it. */
export function domainT(v: number, [lo, hi]: readonly [number, number]): number {
  if (!(hi !== lo)) return 0.5;
  const t = (v - lo) / (hi - lo);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** Options of {@link valuesToPngUrl}. */
export interface ColorImageOptions {
  /** Vega colour scheme name. */
  scheme: string;
  /** [lo, hi] of the colour scale. */
  domain: readonly [number, number];
  /** Integer enlargement (default 1). */
  factor?: number;
  /** Size of the PNG when larger than the enlarged image: the image sits at its top-left corner and the
   * rest is transparent (default the enlarged image's size). */
  canvas?: { width: number; height: number };
  /** Name of the scheme argument in errors (default 'opts.scheme'). */
  schemeArg?: string;
}

/**
 * Colour a grid of values with a vega scheme and encode it as a PNG data URL, enlarged by an integer
 * factor. A scheme whose colours are all gray (e.g. 'greys') gives a 1-channel PNG.
 * @param values row-major [height, width]
 */
export function valuesToPngUrl(fn: string, values: ArrayLike<number>, height: number, width: number, opts: ColorImageOptions): string {
  const interp = schemeInterpolator(fn, opts.schemeArg ?? 'opts.scheme', opts.scheme);
  const cache = new Map<number, [number, number, number]>();
  const rgb = new Uint8Array(height * width * 3);
  let gray = true;
  for (let i = 0; i < height * width; i++) {
    const v = values[i];
    let c = cache.get(v);
    if (!c) {
      c = parseColor(fn, interp(domainT(v, opts.domain)));
      cache.set(v, c);
    }
    rgb[3 * i] = c[0];
    rgb[3 * i + 1] = c[1];
    rgb[3 * i + 2] = c[2];
    if (c[0] !== c[1] || c[1] !== c[2]) gray = false;
  }
  return rgbToPngUrl(rgb, height, width, opts.factor ?? 1, gray, opts.canvas);
}

/**
 * RGB bytes [height, width, 3] as a PNG data URL, enlarged by an integer factor; `gray` (every pixel has
 * r = g = b) stores one channel.
 */
export function rgbToPngUrl(
  rgb: Uint8Array,
  height: number,
  width: number,
  factor: number,
  gray = false,
  canvas?: { width: number; height: number },
): string {
  let px = rgb;
  let channels: PngChannels = 3;
  if (gray) {
    px = new Uint8Array(height * width);
    for (let i = 0; i < px.length; i++) px[i] = rgb[3 * i];
    channels = 1;
  }
  const big = upscaleNearest(px, width, height, channels, factor);
  const [w, h] = [width * factor, height * factor];
  if (!canvas || (canvas.width <= w && canvas.height <= h)) return pngDataUrl(encodePng(big, w, h, channels));
  // Pad with transparent pixels: one more channel, alpha 255 where the image is.
  checkSize('rgbToPngUrl', canvas.width, canvas.height, channels + 1);
  const ca = (channels + 1) as PngChannels;
  const out = new Uint8Array(canvas.width * canvas.height * ca);
  for (let y = 0; y < Math.min(h, canvas.height); y++) {
    for (let x = 0; x < Math.min(w, canvas.width); x++) {
      const o = (y * canvas.width + x) * ca;
      for (let c = 0; c < channels; c++) out[o + c] = big[(y * w + x) * channels + c];
      out[o + channels] = 255;
    }
  }
  return pngDataUrl(encodePng(out, canvas.width, canvas.height, ca));
}
