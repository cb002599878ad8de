// A PNG decoder written for the tests, independent of lib/viz/png.ts: it parses the chunks, checks each
// chunk's CRC with its own CRC-32, inflates the IDAT data with zlib and undoes the five row filters by
// hand. Plus the reference colours the tests compare pixels with: vega's own scheme interpolators at
// t = (v - lo) / (hi - lo), parsed here.
import { inflateSync } from 'zlib';
import * as vega from 'vega';

/** CRC-32 (ISO 3309 / PNG), bit by bit (no table): the reference for the chunk checks. */
export function crc32Ref(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    c ^= bytes[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A decoded PNG: 8-bit samples, row-major, `channels` per pixel. */
export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  colorType: number;
  pixels: Uint8Array;
  chunks: string[];
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Decode an 8-bit, non-interlaced PNG (colour types 0, 2, 4, 6); throws on a bad signature or CRC. */
export function decodePng(input: Uint8Array): DecodedPng {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  sig.forEach((b, i) => {
    if (buf[i] !== b) throw new Error(`bad PNG signature at byte ${i}`);
  });
  let pos = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  const chunks: string[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    const crc = buf.readUInt32BE(pos + 8 + len);
    const want = crc32Ref(buf.subarray(pos + 4, pos + 8 + len));
    if (crc !== want) throw new Error(`bad CRC of chunk ${type}: ${crc.toString(16)} != ${want.toString(16)}`);
    chunks.push(type);
    if (type === 'IHDR') ihdr = data;
    else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
    if (type === 'IEND') break;
  }
  if (!ihdr) throw new Error('no IHDR');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [depth, colorType, , , interlace] = [ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]];
  if (depth !== 8 || interlace !== 0 || !(colorType in CHANNELS)) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  const channels = CHANNELS[colorType];
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== (stride + 1) * height) throw new Error(`IDAT inflates to ${raw.length} bytes, expected ${(stride + 1) * height}`);
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[y * stride + i - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? out[(y - 1) * stride + i - channels] : 0;
      let pred: number;
      if (filter === 0) pred = 0;
      else if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = Math.floor((a + b) / 2);
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`bad filter type ${filter} in row ${y}`);
      out[y * stride + i] = (line[i] + pred) & 0xff;
    }
  }
  return { width, height, channels, colorType, pixels: out, chunks };
}

/** Decode a `data:image/png;base64,` URL. */
export function decodePngUrl(url: unknown): DecodedPng {
  const prefix = 'data:image/png;base64,';
  if (typeof url !== 'string' || !url.startsWith(prefix)) throw new Error(`not a PNG data URL: ${String(url).slice(0, 40)}`);
  return decodePng(new Uint8Array(Buffer.from(url.slice(prefix.length), 'base64')));
}

/** The colour of pixel (x, y) as [r, g, b] (a gray pixel gives r = g = b), and its alpha (255 if none). */
export function rgbAt(img: DecodedPng, x: number, y: number): [number, number, number] {
  const o = (y * img.width + x) * img.channels;
  const p = img.pixels;
  return img.channels <= 2 ? [p[o], p[o], p[o]] : [p[o], p[o + 1], p[o + 2]];
}

export function alphaAt(img: DecodedPng, x: number, y: number): number {
  const o = (y * img.width + x) * img.channels;
  return img.channels === 2 ? img.pixels[o + 1] : img.channels === 4 ? img.pixels[o + 3] : 255;
}

/** Parse 'rgb(r, g, b)' or '#rrggbb' (as vega's schemes write colours). */
export function parseRgb(s: string): [number, number, number] {
  const m = /^rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)/.exec(s);
  if (m) return [Math.round(+m[1]), Math.round(+m[2]), Math.round(+m[3])];
  const h = /^#([0-9a-f]{6})$/i.exec(s);
  if (h) return [0, 2, 4].map((i) => parseInt(h[1].slice(i, i + 2), 16)) as [number, number, number];
  throw new Error(`cannot parse colour ${s}`);
}

/** vega's colour of value v on a linear scale over [lo, hi] with the named scheme (t clamped; 0.5 if lo = hi). */
export function schemeColor(name: string, v: number, lo: number, hi: number): [number, number, number] {
  const interp = (vega as unknown as { scheme(n: string): (t: number) => string }).scheme(name);
  if (typeof interp !== 'function') throw new Error(`vega has no continuous scheme ${name}`);
  const t = hi === lo ? 0.5 : Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
  return parseRgb(interp(t));
}

/** Largest channel difference between two colours. */
export function colorDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((x, i) => Math.abs(x - b[i])));
}
