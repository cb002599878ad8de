// The rooms of lib/ and the one rule between them (ARCHITECTURE.md): a module imports only from its own
// room or from rooms below it, and the rooms below TensorFlow.js import none of it. Read from the sources.
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const LIB = path.resolve(__dirname, '..', '..', 'lib');

/** The rooms, lowest first. `index` is lib/index.ts, the barrel above everything. */
const ROOMS = ['errors', 'check', 'random', 'timing', 'ops', 'backend', 'layers', 'models', 'data', 'rl', 'grad', 'viz', 'display', 'index'];
/** Rooms that must run without TensorFlow.js (plain numbers and typed arrays). */
const NO_TFJS = ['errors', 'check', 'random', 'timing', 'ops'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === 'dist' || f === 'node_modules' ? [] : sources(p);
    return f.endsWith('.ts') && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** lib/ops/conv2d.ts -> 'ops'; lib/errors.ts -> 'errors'. */
const roomOf = (file: string) => path.relative(LIB, file).split(path.sep)[0].replace(/\.ts$/, '');

/** Module specifiers of import/export-from statements and require() calls. */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of code.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

const files = sources(LIB);
const imports = files.flatMap((file) =>
  specifiers(readFileSync(file, 'utf8')).map((spec) => {
    const target = spec.startsWith('.') ? roomOf(path.resolve(path.dirname(file), spec)) : undefined;
    return { file: path.relative(LIB, file), room: roomOf(file), spec, target };
  }),
);

describe('lib/ rooms', () => {
  it('every file of lib/ is in a known room', () => {
    expect(files.length).toBeGreaterThan(50);
    expect([...new Set(files.map(roomOf))].filter((r) => !ROOMS.includes(r))).toEqual([]);
  });

  it('reads the imports (the checker itself finds a known downward import)', () => {
    expect(imports.some((i) => i.room === 'layers' && i.target === 'errors')).toBe(true);
    expect(imports.some((i) => i.room === 'ops' && i.target === 'random')).toBe(true);
    // display/ is a directory room: its files import viz below and each other, the barrel imports it.
    expect(imports.some((i) => i.file === path.join('display', 'plotly.ts') && i.room === 'display' && i.target === 'viz')).toBe(true);
    expect(imports.some((i) => i.room === 'display' && i.spec === './kernel-output' && i.target === 'display')).toBe(true);
    expect(imports.some((i) => i.room === 'index' && i.spec === './display' && i.target === 'display')).toBe(true);
  });

  it('no module imports from a room above its own', () => {
    const up = imports
      .filter((i) => i.target !== undefined && ROOMS.indexOf(i.target) > ROOMS.indexOf(i.room))
      .map((i) => `${i.file} (${i.room}) imports ${i.spec} (${i.target})`);
    expect(up).toEqual([]);
  });

  it('nothing imports from outside lib/ by a relative path', () => {
    const out = imports.filter((i) => i.spec.startsWith('.') && i.target?.startsWith('..')).map((i) => `${i.file}: ${i.spec}`);
    expect(out).toEqual([]);
  });

  it(`${NO_TFJS.join(', ')} import no TensorFlow.js`, () => {
    const tfjs = imports.filter((i) => NO_TFJS.includes(i.room) && i.spec.startsWith('@tensorflow/')).map((i) => `${i.file}: ${i.spec}`);
    expect(tfjs).toEqual([]);
  });
});
