// kernel/tslab-patch.js, the one module that reaches into tslab: it checks every tslab internal it
// relies on before touching any, and names the one missing; a failed cell's traceback points at the
// cell's lines. (The protocol itself is tested through Jupyter: conformance.test.ts, protocol.test.ts.)
import { readFileSync } from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness';

const require_ = createRequire(__filename);
const patch = require_(path.join(ROOT, 'kernel', 'tslab-patch.js')) as {
  loadTslab: (root: string, mods?: Record<string, unknown>, sources?: Record<string, string>) => unknown;
  TSLAB_INTERNALS: { mod: string; name: string; kind: string }[];
  errorContent: (code: string, capture: Record<string, unknown>) => { ename: string; evalue: string; traceback: string[] };
};
const dist = path.join(ROOT, 'node_modules', 'tslab', 'dist');

describe('tslab-patch: the internals it relies on', () => {
  it('finds every one in tslab 1.0.22', () => {
    expect(() => patch.loadTslab(ROOT)).not.toThrow();
    expect(patch.TSLAB_INTERNALS.length).toBeGreaterThan(10);
  });

  it('names each one that is missing', () => {
    for (const { mod, name, kind } of patch.TSLAB_INTERNALS) {
      const real = require_(path.join(dist, `${mod}.js`)) as Record<string, unknown>;
      let mods: Record<string, unknown> = {};
      let sources: Record<string, string> = {};
      if (kind === 'text') {
        sources = { [mod]: readFileSync(path.join(dist, `${mod}.js`), 'utf8').split(name).join('/* changed */') };
      } else {
        // a copy of the module without the first part of the name (a class, a function, an export)
        const [first, ...rest] = name.split('.');
        const copy: Record<string, unknown> = { ...real };
        if (rest.length === 0) delete copy[first];
        else {
          const cls = function () {} as unknown as { prototype: Record<string, unknown> };
          const proto = (real[first] as { prototype: Record<string, unknown> }).prototype;
          cls.prototype = Object.fromEntries(Object.getOwnPropertyNames(proto).map((k) => [k, proto[k]]));
          delete cls.prototype[rest[rest.length - 1]];
          copy[first] = cls;
        }
        mods = { [mod]: copy };
      }
      expect(() => patch.loadTslab(ROOT, mods, sources), name).toThrow(
        `kernel: tslab internal '${name}' not found in tslab/dist/${mod}.js (tslab 1.0.22 expected)`,
      );
    }
  });
});

describe('tslab-patch: error content', () => {
  it('a TypeScript diagnostic: cell line, column and a caret under it', () => {
    const code = 'const a = 1;\nconst s: string = a;';
    const e = patch.errorContent(code, {
      diagnostics: [{ file: '', line: 2, column: 7, message: "Type 'number' is not assignable to type 'string'." }],
      errors: [],
    });
    expect(e.ename).toBe('TSError');
    expect(e.evalue).toBe("2:7 - Type 'number' is not assignable to type 'string'.");
    expect(e.traceback).toEqual([
      "cell line 2, column 7: Type 'number' is not assignable to type 'string'.",
      '  const s: string = a;',
      '        ^',
    ]);
  });

  it('a runtime error: its frames in the compiled cell mapped to cell lines', () => {
    const code = 'const n: number = 2;\nfunction f(x: number) {\n  throw new RangeError(`bad ${x}`);\n}\nf(n);';
    // what tslab compiles it to (wrapped as executor.js runs it)
    const compiled = [
      '(function(exports, require) { Object.defineProperty(exports, "__esModule", { value: true });',
      'exports.f = exports.n = exports.tsLastExpr = void 0;',
      'const n = 2;',
      'exports.n = n;',
      'function f(x) {',
      '    throw new RangeError(`bad ${x}`);',
      '}',
      'exports.f = f;',
      'exports.tsLastExpr = f(n);',
      '',
      '})(__tslab__.exports, __tslab__.require)',
    ].join('\n');
    const error = new RangeError('bad 2');
    error.stack = 'RangeError: bad 2\n    at f (<cell>:6:11)\n    at <cell>:9:22\n    at <cell>:11:3\n    at Object.execute (/x/node_modules/tslab/dist/executor.js:1:1)';
    const e = patch.errorContent(code, { diagnostics: [], errors: [error], compiled });
    expect(e).toEqual({ ename: 'RangeError', evalue: 'bad 2', traceback: ['RangeError: bad 2', '    at f (cell line 3)', '    at cell line 5'] });
  });
});
