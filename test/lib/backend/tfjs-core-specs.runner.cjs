// Runs tfjs-core's own jasmine specs (node_modules/@tensorflow/tfjs-core/dist/**/*_test.js) on one
// backend and writes every spec's result as JSON. Launched by tfjs-core-specs.test.ts, one process
// per backend:
//
//   node tfjs-core-specs.runner.cjs <mode> <out.json> <spec file>...
//   mode: 'wasm' (plain tfjs-backend-wasm), 'cnnlib' (wasm with lib/backend/wasm-kernels.ts), 'cpu'
//
// tfjs-core ships its specs as ES modules with extensionless imports, built for bundlers. Here every
// file of tfjs-core's dist is transpiled to CommonJS as it is required (TypeScript's transpileModule),
// and `require('@tensorflow/tfjs-core')` from the backends (and from tfjs, which cnnlib imports)
// resolves to that same dist/index.js: one copy of tfjs-core, whose engine the specs reset between
// describe blocks, as tfjs-backend-wasm's own test setup does. lib/'s TypeScript is transpiled the same way.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const ts = require('typescript');

const [mode, outFile, ...specFiles] = process.argv.slice(2);
if (!['wasm', 'cnnlib', 'cpu'].includes(mode) || !outFile || specFiles.length === 0) {
  console.error('usage: node tfjs-core-specs.runner.cjs wasm|cnnlib|cpu OUT.json SPEC...');
  process.exit(2);
}

const root = path.resolve(__dirname, '..', '..', '..');
const coreDist = path.dirname(require.resolve('@tensorflow/tfjs-core/dist/index.js', { paths: [root] }));
const coreIndex = path.join(coreDist, 'index.js');
const libRoot = path.join(root, 'lib') + path.sep;

// tfjs-core's dist is ES2017, but the backends' node bundles are ES5, whose classes cannot extend a
// native class (KernelBackend): tfjs-core goes down to ES5 as in its own node bundle. lib/ stays ES2020.
function transpile(source, fileName, es5) {
  const text = source.replace(/\/\/# sourceMappingURL=data:[^\n]*/g, '');
  const target = es5 ? ts.ScriptTarget.ES5 : ts.ScriptTarget.ES2020;
  return ts.transpileModule(text, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target, downlevelIteration: true, esModuleInterop: true, sourceMap: false },
  }).outputText;
}

const plainJs = Module._extensions['.js'];
Module._extensions['.js'] = function (module, filename) {
  if (!filename.startsWith(coreDist + path.sep)) return plainJs(module, filename);
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename, true), filename);
};
Module._extensions['.ts'] = function (module, filename) {
  if (!filename.startsWith(libRoot)) throw new Error(`tfjs-core-specs.runner: will not load ${filename}`);
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename, false), filename);
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@tensorflow/tfjs-core') return coreIndex;
  return resolve.call(this, request, ...rest);
};

const jasmineCore = require('jasmine-core');
const jasmine = jasmineCore.boot(jasmineCore);
jasmine.DEFAULT_TIMEOUT_INTERVAL = 20000;
const env = jasmine.getEnv();
env.configure({ random: false, stopOnSpecFailure: false });

const results = [];
const seen = new Map();
/** A spec's full name, with ' #2', ' #3' ... after a name used before (tfjs repeats a few). */
function unique(name) {
  const n = (seen.get(name) || 0) + 1;
  seen.set(name, n);
  return n === 1 ? name : `${name} #${n}`;
}
const firstLine = (m) => String(m || '').split('\n')[0].slice(0, 400);
let current;
env.addReporter({
  specStarted(r) {
    current = r.fullName;
  },
  specDone(r) {
    results.push({ name: unique(r.fullName), status: r.status, message: firstLine((r.failedExpectations[0] || {}).message) });
  },
  suiteDone(r) {
    // An error in beforeAll/afterAll is reported on the suite: keep it as a failed pseudo-spec.
    if (r.failedExpectations.length > 0) {
      results.push({ name: unique(`${r.fullName} (suite)`), status: 'failed', message: firstLine(r.failedExpectations[0].message) });
    }
  },
});

// A wasm abort inside a spec can surface as an uncaught exception: record it on the running spec.
process.on('uncaughtException', (e) => {
  results.push({ name: unique(`${current} (uncaught)`), status: 'failed', message: firstLine(e && e.message) });
});

const tf = require(coreIndex);
// What tfjs-core's own test entry (dist/tests.js) loads before the specs: gradients and chained ops.
require(path.join(coreDist, 'register_all_gradients.js'));
require(path.join(coreDist, 'public', 'chained_ops', 'register_all_chained_ops.js'));
require('@tensorflow/tfjs-backend-cpu');
if (mode !== 'cpu') require('@tensorflow/tfjs-backend-wasm');
if (mode === 'cnnlib') {
  const { registerWasmKernels } = require(path.join(root, 'lib', 'backend', 'wasm-kernels.ts'));
  registerWasmKernels();
}
const jasmineUtil = require(path.join(coreDist, 'jasmine_util.js'));
// All three runs name their environment 'backend', so that one spec has one name in every run.
jasmineUtil.setTestEnvs([{ name: 'backend', backendName: mode === 'cpu' ? 'cpu' : 'wasm', isDataSync: true }]);

for (const f of specFiles) require(path.join(coreDist, f));

const started = Date.now();
env.execute().then(() => {
  fs.writeFileSync(outFile, JSON.stringify({ mode, backend: tf.getBackend(), seconds: (Date.now() - started) / 1000, results }));
  process.exit(0);
});
