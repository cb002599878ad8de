// House style, checked: every public function and class of lib/ has a doc comment with an example
// and the notebook that teaches it, and every notebook a doc comment names exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === 'dist' ? [] : sources(p);
    return f.endsWith('.ts') && !f.endsWith('.d.ts') ? [p] : [];
  });
}

interface Exported {
  file: string;
  name: string;
  doc: string;
}

/** What `import { ... } from 'cnnlib'` offers: functions and classes reachable from lib/index.ts. */
function publicApi(): Exported[] {
  const program = ts.createProgram([path.join(LIB, 'index.ts')], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(LIB, 'index.ts'))!;
  const out: Exported[] = [];
  for (const sym of checker.getExportsOfModule(checker.getSymbolAtLocation(index)!)) {
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    const decls = (target.declarations ?? []).filter(
      (d) => (ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d)) && !d.getSourceFile().fileName.includes('node_modules'),
    );
    if (decls.length === 0) continue;
    // Overloads: the doc sits on one of the signatures.
    const doc = decls.map((d) => ts.getJSDocCommentsAndTags(d).map((j) => j.getFullText()).join('\n')).join('\n');
    out.push({ file: path.relative(ROOT, decls[0].getSourceFile().fileName), name: sym.name, doc });
  }
  return out;
}

const files = sources(LIB);
const exported = publicApi();

describe('lib/ doc comments', () => {
  it('finds the public API', () => {
    expect(exported.length).toBeGreaterThan(100);
  });

  it('every exported function and class has a doc comment with @example and @see notebooks/...', () => {
    const missing = exported
      .filter((e) => !(e.doc && /@example/.test(e.doc) && /@see\s+notebooks\/q\d\d-/.test(e.doc)))
      .map((e) => `${e.file}: ${e.name}${e.doc ? (/@example/.test(e.doc) ? ' (no @see notebook)' : ' (no @example)') : ' (no doc comment)'}`);
    expect(missing).toEqual([]);
  });

  it('every notebook named by @see exists', () => {
    const named = new Set(files.flatMap((f) => readFileSync(f, 'utf8').match(/notebooks\/q\d\d-[a-z0-9-]+\.ipynb/g) ?? []));
    const absent = [...named].filter((n) => !existsSync(path.join(ROOT, n)));
    expect(absent).toEqual([]);
  });
});
