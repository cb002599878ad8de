/**
 * TensorFlow.js's own specs for the ops whose kernels cnnlib registers on the wasm backend
 * (tfjs-core's jasmine suite, shipped in node_modules/@tensorflow/tfjs-core/dist), run three times by
 * tfjs-core-specs.runner.cjs: on plain tfjs-backend-wasm, on wasm with cnnlib's kernels
 * (registerWasmKernels, before the backend starts: the specs reset the engine between describe
 * blocks, so every start runs the kernels' setup functions), and on the cpu backend.
 *
 * No spec may fail with cnnlib's kernels that passes on plain wasm or on cpu, except those listed
 * below with the reason; a listed spec must still fail, with the message given, on plain wasm too.
 */
import { spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

/** tfjs-core's spec files (under its dist/) of the ops those kernels serve. */
const SPEC_FILES = [
  'ops/einsum_test.js', // Einsum
  'ops/mat_mul_test.js', // BatchMatMul (and its gradient)
  'ops/fused/fused_mat_mul_test.js', // _FusedMatMul
  'ops/conv2d_transpose_test.js', // Conv2DBackpropInput
  'ops/conv2d_test.js', // Conv2DBackpropInput, Conv2DBackpropFilter (gradients)
  'ops/fused/fused_conv2d_test.js', // the same, through the fused convolution's gradient
  'ops/depthwise_conv2d_test.js', // DepthwiseConv2dNativeBackpropInput / Filter (gradients)
  'ops/fused/fused_depthwise_conv2d_test.js',
  'ops/conv2d_separable_test.js',
  'ops/max_pool_test.js', // MaxPoolGrad
  'ops/sum_test.js', // Sum
  'ops/gather_test.js', // GatherV2, and UnsortedSegmentSum in its gradient
  'ops/unsorted_segment_sum_test.js', // UnsortedSegmentSum
  'ops/clone_test.js', // Identity
  'optimizers/adam_optimizer_test.js', // CnnAdamUpdate, through tf.train.adam (fused-adam.ts)
];

/**
 * Specs that fail with cnnlib's kernels and pass on plain wasm: none. An entry would be
 * `'<spec name>': '<why>'`.
 */
const CNNLIB_ONLY_FAILURES: Record<string, string> = {};

/**
 * Specs that pass on cpu and fail on plain tfjs-backend-wasm 4.22 as well as with cnnlib's
 * kernels, with the same message: paths of the shipped wasm kernels that cnnlib leaves as they are
 * (a replacement hands them to the shipped kernel), or kernels cnnlib does not touch.
 */
const ALSO_FAIL_ON_PLAIN_WASM: { reason: string; message: string; specs: string[] }[] = [
  {
    reason: 'the wasm BatchMatMul multiplies float32 only; cnnlib\'s replacement hands other dtypes to it',
    message: 'Error: BatchMatMul for non non-float32 tensors not yet supported.',
    specs: ['matmul backend {} upcasts when dtypes dont match'],
  },
  {
    reason: 'the wasm _FusedMatMul takes a rank-1 bias only; cnnlib\'s wrapper hands other biases to it',
    message: 'Error: _FusedMatMul only supports rank-1 bias but got rank 2.',
    specs: [
      'fused matmul backend {} fused A x B with 2d bias and relu',
      'fused matmul backend {} fused A x B with relu and broadcasted bias different rank',
      'fused matmul backend {} fused A x B with 2d bias only',
    ],
  },
  {
    reason: 'the wasm Conv2D (not replaced by cnnlib) has no NCHW layout',
    message: "Error: wasm backend Conv2D does not support dataFormat:'channelsFirst'. Please use 'channelsLast'.",
    specs: [
      'conv2d backend {} x=[2,1,2,2] f=[1,1,1,1] s=1 d=1 p=0 NCHW',
      'conv2d backend {} x=[1,2,2] f=[2,2,1,1] s=1 d=1 p=same NCHW',
      'conv2d backend {} x=[4,2,2] f=[1,1,4,4] s=1 d=1 p=same NCHW',
      'conv2d backend {} x=[3,2,2] f=[1,1,3,4] s=1 d=1 p=same NCHW',
      'conv2d backend {} x=[2,2,2,2] f=[1,1,4,4] s=1 d=1 p=same NCHW',
      'conv2d backend {} x=[4,2,2] f=[2,2,4,4] s=1 d=1 p=same NCHW',
      'conv2d backend {} x=[1,2,2] f=[2,2,1,1] s=1 d=1 p=explicit NCHW',
      'conv2d backend {} x=[2,2,2] f=[2,2,2,1] s=1 d=1 p=same NCHW',
      'conv2d backend {} x=[2,1,2,2] f=[2,2,1,1] s=1 d=1 p=same NCHW',
      'conv2d backend {} gradient x=[1,1,3,3] f=[2,2,1,1] s=1 p=0 NCHW',
      'conv2d backend {} gradient x=[2,1,3,3] f=[2,2,1,1] s=1 p=0 NCHW',
    ],
  },
  {
    reason: 'the wasm FusedConv2D (not replaced by cnnlib) has no NCHW layout',
    message: "Error: wasm backend FusedConv2D does not support dataFormat:'NCHW'. Please use 'NHWC'.",
    specs: [
      'fused conv2d backend {} basic in NCHW',
      'fused conv2d backend {} basic in NCHW with 1-D bias',
      'fused conv2d backend {} basic in NCHW with bias and multiple batches',
      'fused conv2d backend {} basic in NCHW with scalar PReLU actiavation',
      'fused conv2d backend {} basic in NCHW with 1-D PReLU actiavation',
      'fused conv2d backend {} basic in NCHW with 3-D PReLU actiavation',
      'fused conv2d backend {} basic in NCHW with full 3-D PReLU actiavation',
      'fused conv2d backend {} im2row in NCHW',
      'fused conv2d backend {} im2row in NCHW with 1-D bias',
      'fused conv2d backend {} im2row in NCHW with scalar PReLU actiavation weights',
      'fused conv2d backend {} im2row in NCHW with 1-D PReLU actiavation weights',
      'fused conv2d backend {} im2row in NCHW with 3-D PReLU actiavation weights',
      'fused conv2d backend {} im2row in NCHW with full 3-D PReLU actiavation weights',
      'fused conv2d backend {} batch in NCHW',
      'fused conv2d backend {} batch in NCHW with 1-D bias',
      'fused conv2d backend {} batch in NCHW with scalar PReLU actiavation weights',
      'fused conv2d backend {} batch in NCHW with 1-D PReLU actiavation weights',
      'fused conv2d backend {} batch in NCHW with 3-D PReLU actiavation weights',
      'fused conv2d backend {} batch in NCHW with full 3-D PReLU actiavation weights',
    ],
  },
  {
    reason: 'the wasm FusedConv2D (not replaced by cnnlib) takes a rank-1 bias only (a scalar bias)',
    message: 'Error: FusedConv2D only supports rank-1 bias but got rank 0.',
    specs: [
      'fused conv2d backend {} basic with broadcasted bias and relu',
      'fused conv2d backend {} basic in NCHW with scalar bias',
      'fused conv2d backend {} im2row with broadcasted bias and relu',
      'fused conv2d backend {} im2row in NCHW with scalar bias',
      'fused conv2d backend {} batch in NCHW with scalar bias',
    ],
  },
  {
    reason: 'the wasm FusedConv2D (not replaced by cnnlib) takes a rank-1 bias only (the spec\'s bias is [2, 2, 2, 1])',
    message: 'Error: FusedConv2D only supports rank-1 bias but got rank 4.',
    specs: ['fused conv2d backend {} gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0 with bias'],
  },
  {
    reason: 'the wasm FusedDepthwiseConv2D (not replaced by cnnlib) takes a rank-1 bias only (a scalar bias)',
    message: 'Error: FusedDepthwiseConv2D only supports rank-1 bias but got rank 0.',
    specs: ['fused depthwiseConv2D backend {} basic with broadcasted bias and relu'],
  },
  {
    reason: 'the wasm FusedDepthwiseConv2D (not replaced by cnnlib) takes a rank-1 bias only (the spec\'s bias is [2, 2, 2, 1])',
    message: 'Error: FusedDepthwiseConv2D only supports rank-1 bias but got rank 4.',
    specs: ['fused depthwiseConv2D backend {} gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0 with bias'],
  },
  {
    reason: 'the wasm backend has no complex64 tensors (no Complex kernel), so Identity never sees one',
    message: "Error: Kernel 'Complex' not registered for backend 'wasm'",
    specs: [
      'clone backend {} 1D complex64 dtype',
      'clone backend {} 2D complex64 dtype',
      'clone backend {} 3D complex64 dtype',
      'clone backend {} 4D complex64 dtype',
    ],
  },
];

type Mode = 'wasm' | 'cnnlib' | 'cpu';
interface SpecResult {
  name: string;
  status: string;
  message: string;
}

const runner = path.join(__dirname, 'tfjs-core-specs.runner.cjs');
const root = path.resolve(__dirname, '..', '..', '..');

/** Run the specs on one backend in a child process; resolves to every spec's result. */
function runSpecs(mode: Mode, dir: string): Promise<Map<string, SpecResult>> {
  const out = path.join(dir, `${mode}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, mode, out, ...SPEC_FILES], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`the ${mode} run exited with ${code ?? signal}: ${output.slice(-2000)}`));
      const { results } = JSON.parse(readFileSync(out, 'utf8')) as { results: SpecResult[] };
      resolve(new Map(results.map((r) => [r.name, r])));
    });
  });
}

describe("tfjs-core's own specs for the kernels cnnlib registers", () => {
  it('fail with cnnlib\'s kernels only where they fail on plain wasm too (listed, with the reason)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cnn-tfjs-specs-'));
    let runs: Record<Mode, Map<string, SpecResult>>;
    try {
      const [wasm, cnnlib, cpu] = await Promise.all((['wasm', 'cnnlib', 'cpu'] as const).map((m) => runSpecs(m, dir)));
      runs = { wasm, cnnlib, cpu };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { wasm, cnnlib, cpu } = runs;
    const count = (m: Map<string, SpecResult>, status: string) => [...m.values()].filter((r) => r.status === status).length;
    const summary = (['wasm', 'cnnlib', 'cpu'] as const).map((m) => `${m} ${count(runs[m], 'passed')} passed, ${count(runs[m], 'failed')} failed`);
    console.log(`tfjs-core specs (${SPEC_FILES.length} files): ${summary.join('; ')}`);

    // The three runs ran the same specs, and enough of them to mean something.
    expect([...cnnlib.keys()].sort()).toEqual([...wasm.keys()].sort());
    expect([...cpu.keys()].sort()).toEqual([...wasm.keys()].sort());
    expect(cnnlib.size).toBeGreaterThan(400);
    for (const m of [wasm, cnnlib, cpu]) expect([...m.values()].filter((r) => r.status !== 'passed' && r.status !== 'failed')).toEqual([]);

    const listed = new Map<string, { reason: string; message: string }>();
    for (const g of ALSO_FAIL_ON_PLAIN_WASM) for (const s of g.specs) listed.set(s, g);
    const unexplained = [...cnnlib.values()]
      .filter((r) => r.status === 'failed' && (wasm.get(r.name)?.status === 'passed' || cpu.get(r.name)?.status === 'passed'))
      .filter((r) => !(r.name in CNNLIB_ONLY_FAILURES) && !listed.has(r.name))
      .map((r) => `${r.name}: ${r.message} (plain wasm: ${wasm.get(r.name)?.status}, cpu: ${cpu.get(r.name)?.status})`);
    expect(unexplained).toEqual([]);

    // The lists are true: each listed spec exists and fails as said, on plain wasm with the same message.
    const stale: string[] = [];
    for (const [name, { message }] of listed) {
      const [mine, plain] = [cnnlib.get(name), wasm.get(name)];
      if (mine?.status !== 'failed' || mine.message !== message) stale.push(`${name}: cnnlib ${mine?.status} '${mine?.message}'`);
      if (plain?.status !== 'failed' || plain.message !== message) stale.push(`${name}: plain wasm ${plain?.status} '${plain?.message}'`);
    }
    for (const name of Object.keys(CNNLIB_ONLY_FAILURES)) if (cnnlib.get(name)?.status !== 'failed') stale.push(`${name}: no longer fails`);
    expect(stale).toEqual([]);

    // Every Einsum spec fails on plain wasm (it has no Einsum kernel) and passes with cnnlib's.
    const einsum = [...cnnlib.values()].filter((r) => r.name.startsWith('einsum '));
    expect(einsum.length).toBeGreaterThan(25);
    expect(einsum.filter((r) => r.status !== 'passed' || wasm.get(r.name)?.status !== 'failed').map((r) => r.name)).toEqual([]);
  }, 200_000);
});
