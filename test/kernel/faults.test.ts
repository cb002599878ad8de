// The notebook runner (kernel/run_notebooks.py) under faults: a cell that never ends, a kernel that
// dies, errors that surface after a cell's reply, files that are not notebooks, two notebooks with
// the same file name. All run in one batch (four kernels at a time): each fault must be reported on its
// own notebook and cell while the other notebooks still run, and no process may outlive the runner.
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executedStdout, notebook, readReport, removeTrees, startRunner, survivors, writeTree, type Entry, type RunnerResult } from './harness';

const files: Record<string, string> = {
  // --cell-timeout 3 below
  'hang.ipynb': notebook(['const a = 1;', 'await new Promise(() => {});', "console.log('never');"]),
  // the cell tag beats the notebook's metadata
  'busy.ipynb': notebook(['let i = 0;', { source: 'while (true) { i++; }', tags: ['timeout-2'] }], { cnn_notebooks: { cell_timeout: 10 } }),
  // the notebook's metadata beats --cell-timeout: a 4 s cell passes
  'patient.ipynb': notebook(["await new Promise((r) => setTimeout(r, 4000));\nconsole.log('waited');"], { cnn_notebooks: { cell_timeout: 10 } }),
  'exits.ipynb': notebook(["console.log('before');", 'process.exit(3);', "console.log('never');"]),
  'killed.ipynb': notebook(["process.kill(process.pid, 'SIGKILL');"]),
  // allow-stderr does not hide an unhandled rejection
  'rejects.ipynb': notebook(['const a = 1;', { source: "Promise.reject(new Error('nobody caught x'));", tags: ['allow-stderr'] }, "console.log('after');"]),
  'late.ipynb': notebook(['const a = 1;', "setTimeout(() => { throw new Error('late boom'); }, 100);", "console.log('after');"]),
  'late-last.ipynb': notebook(["console.log('only');", "setTimeout(() => { throw new Error('after the last cell'); }, 100);"]),
  'not-json.ipynb': '{"nbformat": 4, "cells": [',
  'not-nbformat.ipynb': '{"cells": 3}',
  'bad-cell.ipynb': '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}',
  'a/same.ipynb': notebook(["console.log('from a');"]),
  'b/same.ipynb': notebook(["console.log('from b');"]),
  'good.ipynb': notebook(["console.log('still runs');"]),
};

let dir: string;
let out: string;
let run: RunnerResult;
let report: Record<string, Entry>;

beforeAll(async () => {
  dir = writeTree('faults', files);
  out = path.join(dir, 'out');
  const notebooks = Object.keys(files).map((f) => path.join(dir, f));
  run = await startRunner(['-j', '4', '--out', out, '--cell-timeout', '3', '--late-output', '1', '--', ...notebooks]);
  report = readReport(out);
});
afterAll(removeTrees);

/** The FAILED block of `name` in the runner's stderr: its first line and what follows up to the next. */
function failure(name: string): string {
  const start = run.stderr.indexOf(`FAILED ${name}.ipynb`);
  if (start < 0) throw new Error(`no FAILED ${name}.ipynb in stderr:\n${run.stderr}`);
  const next = run.stderr.slice(start + 1).search(/^(FAILED|STOPPED|NOT RUN) /m);
  return next < 0 ? run.stderr.slice(start) : run.stderr.slice(start, start + 1 + next);
}

describe('run_notebooks.py under faults', () => {
  it('exits 1 and leaves no process behind', () => {
    expect(run.status, run.stderr).toBe(1);
    const pids = Object.values(report).flatMap((e) => (e.kernel_pid ? [e.kernel_pid] : []));
    expect(pids.length).toBe(11); // every file that is a notebook started a kernel
    expect(survivors(run.pid, pids)).toEqual([]);
  });

  it('kills a cell that never ends, with the cell number and source; the default from --cell-timeout', () => {
    expect(report.hang).toMatchObject({ status: 'failed', cell: 2, kind: 'timed out after 3 s (its kernel was killed)' });
    expect(report.hang.cells.map((c) => c.cell)).toEqual([1]);
    expect(failure('hang')).toMatch(/^FAILED hang\.ipynb: cell 2 timed out after 3 s \(its kernel was killed\)/);
    expect(failure('hang')).toContain('| await new Promise(() => {});');
  });

  it('kills a busy loop at its cell tag timeout-2, which beats the notebook metadata', () => {
    expect(report.busy).toMatchObject({ status: 'failed', cell: 2, kind: 'timed out after 2 s (its kernel was killed)' });
    expect(failure('busy')).toContain('| while (true) { i++; }');
  });

  it('lets a notebook raise its own timeout (metadata cnn_notebooks.cell_timeout)', () => {
    expect(report.patient.status).toBe('ok');
    expect(executedStdout(out, 'patient')).toBe('waited\n');
  });

  it('reports a kernel that exits in a cell, with the exit status', () => {
    expect(report.exits).toMatchObject({ status: 'failed', cell: 2, kind: 'kernel died (exit status 3)' });
    expect(failure('exits')).toContain('| process.exit(3);');
  });

  it('reports a kernel killed in a cell, with the signal', () => {
    expect(report.killed).toMatchObject({ status: 'failed', cell: 1, kind: 'kernel died (killed by SIGKILL)' });
    expect(failure('killed')).toContain("| process.kill(process.pid, 'SIGKILL');");
  });

  it('reports an unhandled rejection on the cell that left it, even with allow-stderr', () => {
    expect(report.rejects).toMatchObject({ status: 'failed', cell: 2 });
    expect(report.rejects.kind).toMatch(/^unhandled promise rejection/);
    expect(report.rejects.error).toContain('nobody caught x');
    expect(report.rejects.cells.map((c) => c.cell)).toEqual([1]);
    expect(failure('rejects')).toContain("| Promise.reject(new Error('nobody caught x'));");
  });

  it('reports an exception thrown after its cell ended on that cell, not the next', () => {
    expect(report.late).toMatchObject({ status: 'failed', cell: 2, kind: "uncaught exception after the cell's reply" });
    expect(report.late.error).toContain('late boom');
    expect(report.late.cells.map((c) => c.cell)).toEqual([1]);
    expect(failure('late')).toContain("| setTimeout(() => { throw new Error('late boom'); }, 100);");
  });

  it('reports an exception thrown after the last cell ended', () => {
    expect(report['late-last']).toMatchObject({ status: 'failed', cell: 2, kind: "uncaught exception after the cell's reply" });
    expect(report['late-last'].error).toContain('after the last cell');
  });

  it('fails each file that is not a notebook once, naming the file and what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['not-json', /not valid JSON/],
      ['not-nbformat', /not a Jupyter notebook/],
      ['bad-cell', /not a valid nbformat 4 notebook/],
    ];
    for (const [name, why] of cases) {
      expect(report[name]).toMatchObject({ status: 'failed', kind: 'not a notebook' });
      expect(report[name].error).toContain(path.join(dir, `${name}.ipynb`));
      expect(report[name].error).toMatch(why);
      expect(failure(name)).toContain(path.join(dir, `${name}.ipynb`));
      expect(existsSync(path.join(out, `${name}.ipynb`))).toBe(false);
    }
  });

  it('keeps both notebooks named same.ipynb, each executed copy with its own output', () => {
    const same = Object.values(report).filter((e) => e.source.endsWith(`${path.sep}same.ipynb`));
    expect(same.map((e) => e.source).sort()).toEqual([path.join(dir, 'a', 'same.ipynb'), path.join(dir, 'b', 'same.ipynb')]);
    expect(new Set(same.map((e) => e.notebook)).size).toBe(2);
    for (const e of same) {
      expect(e.status).toBe('ok');
      const folder = path.basename(path.dirname(e.source));
      expect(e.notebook.endsWith(`${folder}__same`)).toBe(true);
      expect(executedStdout(out, e.notebook)).toBe(`from ${folder}\n`);
    }
  });

  it('still runs the good notebook and counts every result in the summary', () => {
    expect(report.good.status).toBe('ok');
    expect(run.stdout).toMatch(/  ok      good /);
    expect(run.stdout).toContain(`4 of ${Object.keys(files).length} notebooks ok`);
    expect(readFileSync(path.join(dir, 'good.ipynb'), 'utf8')).toBe(files['good.ipynb']);
  });
});

describe('run_notebooks.py executed copies across runs', () => {
  it('does not let a later notebook of the same name overwrite an earlier one', async () => {
    const tree = writeTree('names', {
      'c/same.ipynb': notebook(["console.log('from c');"]),
      'd/same.ipynb': notebook(["console.log('from d');"]),
    });
    const dest = path.join(tree, 'out');
    const first = await startRunner(['--out', dest, path.join(tree, 'c', 'same.ipynb')]);
    expect(first.status, first.stderr).toBe(0);
    const second = await startRunner(['--out', dest, path.join(tree, 'd', 'same.ipynb')]);
    expect(second.status, second.stderr).toBe(0);
    const r = readReport(dest);
    expect(r.same.source).toBe(path.join(tree, 'c', 'same.ipynb'));
    expect(executedStdout(dest, 'same')).toBe('from c\n');
    const d = Object.values(r).find((e) => e.source === path.join(tree, 'd', 'same.ipynb'))!;
    expect(d.notebook.endsWith('d__same')).toBe(true);
    expect(executedStdout(dest, d.notebook)).toBe('from d\n');
    // The first notebook keeps its name on its next run and is up to date.
    const again = await startRunner(['--out', dest, path.join(tree, 'c', 'same.ipynb')]);
    expect(again.stdout).toContain('up to date  same');
    for (const res of [first, second, again]) expect(survivors(res.pid, Object.values(r).map((e) => e.kernel_pid!))).toEqual([]);
  });
});
