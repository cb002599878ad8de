// Source notebooks are stored clean: no outputs, the project kernel, the library imported first.
import { readdirSync, readFileSync, existsSync } from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './executed';

const dir = path.join(ROOT, 'notebooks');
const names = readdirSync(dir).filter((f) => f.endsWith('.ipynb'));

describe('source notebooks', () => {
  it('are named qNN-slug.ipynb', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^q(0[1-9]|1\d|2[0-5])-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$/);
  });

  it('have code lines of at most 100 characters, so the rendered guide shows them whole', () => {
    const long: string[] = [];
    for (const n of names) {
      const nb = JSON.parse(readFileSync(path.join(dir, n), 'utf8'));
      nb.cells.forEach((c: { cell_type: string; id?: string; source: string | string[] }, i: number) => {
        if (c.cell_type !== 'code') return;
        const text = Array.isArray(c.source) ? c.source.join('') : c.source;
        text.split('\n').forEach((line, j) => {
          if (line.length > 100) long.push(`${n} cell ${i} (id ${c.id}) line ${j + 1}: ${line.length} characters`);
        });
      });
    }
    expect(long, `code lines over 100 characters:\n${long.join('\n')}`).toEqual([]);
  });

  for (const n of names) {
    describe(n, () => {
      const nb = JSON.parse(readFileSync(path.join(dir, n), 'utf8'));
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');

      it('has no outputs or execution counts', () => {
        for (const c of code) {
          expect(c.outputs, `${n}: a cell has outputs (run kernel/nbtext.py strip)`).toEqual([]);
          expect(c.execution_count).toBeNull();
        }
      });

      it('uses the project kernel', () => {
        expect(nb.metadata.kernelspec.name).toBe('cnn-notebooks');
      });

      it('imports cnnlib in its first code cell and awaits ready()', () => {
        const first = [].concat(code[0].source).join('');
        expect(first).toMatch(/from ['"]cnnlib['"]/);
        expect(first).toMatch(/await ready\(/);
      });

      it('has a test of its own', () => {
        const q = n.slice(0, 3);
        expect(existsSync(path.join(ROOT, 'test', 'notebooks', `${q}.test.ts`)), `test/notebooks/${q}.test.ts`).toBe(true);
      });
    });
  }
});
