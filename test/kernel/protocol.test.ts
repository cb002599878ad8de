// The kernel through real Jupyter clients (jupyter_client, nbconvert), beyond the conformance suite:
// no output lost, tracebacks at cell lines, stop_on_error, interrupt of a loop and of model.fit,
// shutdown during a training, restart, starts that all run their cell, and a notebook outside the
// checkout that imports cnnlib through a kernelspec written by `node kernel/install.js DIR`.
// (A kernel whose front end is killed is tested in signals.test.ts.) The checks themselves are in
// protocol_checks.py; each prints its measurements as JSON.
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import * as net from 'net';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, notebook, removeTrees, ROOT, writeTree } from './harness';

const env = { ...process.env, JUPYTER_PATH: path.join(ROOT, 'build', 'jupyter'), PYDEVD_DISABLE_FILE_VALIDATION: '1' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function check(...args: string[]): any {
  const r = spawnSync('/usr/bin/python3', [path.join('test', 'kernel', 'protocol_checks.py'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  expect(r.status, output).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

afterAll(removeTrees);

describe('the kernel through jupyter_client', () => {
  it('loses no output, points tracebacks at cell lines, honours stop_on_error, interrupts a loop', () => {
    const r = check('output');
    // 100,000 console.log lines of one cell, whole and in order; one 5.2 MB write, whole
    expect(r.lines).toMatchObject({ status: 'ok', received: 100_000, in_order: true });
    expect(r.big_write).toMatchObject({ status: 'ok', bytes: 400_000 * 13 - 1, whole: true, result: ['5199999'] });
    expect(r.runtime_error.reply).toMatchObject({ status: 'error', ename: 'TypeError', evalue: 'bad x: 1' });
    expect(r.runtime_error.reply.traceback).toEqual(['TypeError: bad x: 1', '    at inner (cell line 3)', '    at cell line 6']);
    expect(r.runtime_error.messages).toEqual(['execute_input', 'error']);
    expect(r.stop_on_error_true).toEqual({ first: 'error', second: 'abort', second_stdout: '' });
    expect(r.stop_on_error_false).toEqual({ first: 'error', second: 'ok', second_stdout: 'second runs\n' });
    expect(r.interrupt_loop).toMatchObject({ status: 'error', ename: 'Interrupted', output_before_loop_seen: true });
    expect(r.after_interrupt).toEqual({ status: 'ok', stdout: 'next cell\n' });
  });

  it('SIGINT stops model.fit at the next batch; shutdown during a training ends the process', () => {
    const r = check('training');
    expect(r.setup).toBe('ok');
    expect(r.interrupt_fit).toMatchObject({ status: 'error', ename: 'Interrupted' });
    // a training still running would log ~20 batches a second; the count stays where it stopped
    expect(r.after_interrupt.status).toBe('ok');
    expect(r.after_interrupt.second).toBe(r.after_interrupt.first);
    // ended by itself (exit status 0), not killed by jupyter_client after its 5 s wait
    expect(r.shutdown.returncode).toBe(0);
  });

  it('restart: the old process ends, the new kernel starts afresh', () => {
    const r = check('restart');
    expect(r.old_returncode).toBe(0);
    expect(r.old_name).toBe("1:1 - Cannot find name 'before'.");
    expect(r).toMatchObject({ status: 'ok', stdout: 'restarted', count: 2 });
  });

  it('every start runs its cell (8 starts, 4 at a time; `make stress-kernel` does 200)', () => {
    const r = check('starts', '8', '4');
    expect(r.failures).toEqual([]);
    expect(r.ran_their_cell).toBe(8);
  });
});

describe('a start that cannot bind its sockets', () => {
  it('ends the kernel at once with the reason (no half-alive kernel)', async () => {
    // the shell port is taken by another listener
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as net.AddressInfo).port;
    const conn = { transport: 'tcp', ip: '127.0.0.1', shell_port: port, iopub_port: 0, control_port: 0, stdin_port: 0, hb_port: 0, key: 'k', signature_scheme: 'hmac-sha256' };
    for (const k of ['iopub_port', 'control_port', 'stdin_port', 'hb_port'] as const) conn[k] = await freePort();
    const dir = writeTree('bind', { 'conn.json': JSON.stringify(conn) });
    try {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'kernel', 'launch.js'), path.join(dir, 'conn.json')], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(70);
      expect(r.stderr).toMatch(/\[cnn-notebooks kernel\] could not start: .*Address already in use.*; ending the kernel/);
    } finally {
      taken.close();
    }
  });
});

describe('a notebook outside the checkout, kernelspec from `node kernel/install.js DIR`', () => {
  it('imports cnnlib; nbconvert --allow-errors keeps execution counts, the error and later outputs', () => {
    const data = writeTree('jupyter-data', {});
    const install = spawnSync(process.execPath, [path.join(ROOT, 'kernel', 'install.js'), data], { encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const cells = [
      'import { tf, ready } from "cnnlib";\nawait ready();\ntf.ones([3]).sum().dataSync()[0]',
      'const n: number = 2;\nthrow new RangeError(`bad n: ${n}`);',
      "console.log('after the error');",
    ];
    const dir = writeTree('outside', { 'nb.ipynb': notebook(cells) });
    const r = spawnSync(
      '/usr/bin/jupyter-nbconvert',
      ['--to', 'notebook', '--execute', '--allow-errors', '--output', 'executed', path.join(dir, 'nb.ipynb')],
      { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...env, JUPYTER_PATH: data } },
    );
    expect(r.status, r.stderr).toBe(0);
    const nb = JSON.parse(readFileSync(path.join(dir, 'executed.ipynb'), 'utf8'));
    expect(nb.cells.map((c: { execution_count: number }) => c.execution_count)).toEqual([1, 2, 3]);
    const outs = nb.cells.map((c: { outputs: Record<string, unknown>[] }) => c.outputs);
    const join = (t: string | string[]) => (Array.isArray(t) ? t.join('') : t);
    expect(join(outs[0].find((o: { output_type: string }) => o.output_type === 'execute_result').data['text/plain'])).toBe('3');
    expect(outs[1]).toHaveLength(1);
    expect(outs[1][0]).toMatchObject({ output_type: 'error', ename: 'RangeError', evalue: 'bad n: 2' });
    expect(outs[1][0].traceback).toContain('    at cell line 2');
    expect(outs[2]).toHaveLength(1);
    expect(outs[2][0]).toMatchObject({ output_type: 'stream', name: 'stdout' });
    expect(join(outs[2][0].text)).toBe('after the error\n');
  });
});

describe('rich results and clear_output, through nbconvert', () => {
  it('a tensor, a model and a vega-lite spec as last expressions; clearOutput clears', () => {
    const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', data: { values: [{ a: 1 }] }, mark: 'point' };
    const cells = [
      'import { tf, ready, clearOutput } from "cnnlib";\nawait ready();\ntf.tensor([[1, 2], [3, 4]])',
      'const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });\nm',
      `(${JSON.stringify(spec)})`,
      "console.log('gone');\nclearOutput();\nconsole.log('kept');",
      '({ [Symbol.for("Jupyter.display")]: () => ({ "text/markdown": "**bold**" }) })',
    ];
    const dir = writeTree('rich', { 'nb.ipynb': notebook(cells) });
    const r = spawnSync('/usr/bin/jupyter-nbconvert', ['--to', 'notebook', '--execute', '--output', 'executed', path.join(dir, 'nb.ipynb')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env,
    });
    expect(r.status, r.stderr).toBe(0);
    const nb = JSON.parse(readFileSync(path.join(dir, 'executed.ipynb'), 'utf8'));
    const join = (t: string | string[]) => (Array.isArray(t) ? t.join('') : t);
    type Out = { output_type: string; data?: Record<string, string | string[] | object>; text?: string | string[] };
    const result = (i: number) => (nb.cells[i].outputs as Out[]).find((o) => o.output_type === 'execute_result')!.data!;
    // the tensor: tfjs's print as text, and a table of its four values in row-major order
    expect(join(result(0)['text/plain'] as string[])).toBe('Tensor\n    [[1, 2],\n     [3, 4]]');
    const cellsHtml = [...join(result(0)['text/html'] as string[]).matchAll(/<td>([^<]*)<\/td>/g)].map((m) => Number(m[1]));
    expect(cellsHtml).toEqual([1, 2, 3, 4]);
    // the model: its summary, with the hand count of a 3 -> 2 dense layer
    expect(join(result(1)['text/plain'] as string[])).toContain(`Total params: ${3 * 2 + 2}`);
    // the spec travels as vega-lite JSON, unchanged
    expect(result(2)['application/vnd.vegalite.v5+json']).toEqual(spec);
    expect(join(result(2)['text/plain'] as string[])).toBe('<vega-lite figure: point>');
    // clear_output removed what the cell printed before it
    const texts = (nb.cells[3].outputs as Out[]).filter((o) => o.output_type === 'stream').map((o) => join(o.text!));
    expect(texts.join('')).toBe('kept\n');
    // any value may offer its bundle
    expect(join(result(4)['text/markdown'] as string[])).toBe('**bold**');
  });
});
