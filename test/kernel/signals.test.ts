// Stopping the notebook runner (kernel/run_notebooks.py): Ctrl-C (SIGINT to its process group, as a
// terminal sends it), SIGTERM, and SIGKILL. The kernels run in their own session, so the runner must
// end them itself; after SIGKILL they must end on their own (kernel/launch.js watches its parent).
import { existsSync, readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelsOf, notebook, readReport, removeTrees, startRunner, survivors, waitFor, writeTree } from './harness';

// Each long cell first leaves a file in its folder (the kernel's working folder), so the test signals
// only once both kernels are inside their long cells.
const started = (name: string) => `require('fs').writeFileSync('${name}.started', '');`;
const files = {
  'waits.ipynb': notebook(['const a = 1;', `${started('waits')}\nawait new Promise(() => {});`]),
  'spins.ipynb': notebook([`${started('spins')}\nwhile (true) {}`]),
  'queued.ipynb': notebook(["console.log('never');"]),
};

async function stopWith(signal: 'SIGINT' | 'SIGTERM') {
  const dir = writeTree(signal.toLowerCase(), files);
  const out = path.join(dir, 'out');
  const notebooks = Object.keys(files).map((f) => path.join(dir, f));
  const run = await startRunner(['-j', '2', '--out', out, '--', ...notebooks], async (pid) => {
    await waitFor(() => existsSync(path.join(dir, 'waits.started')) && existsSync(path.join(dir, 'spins.started')), 'both long cells');
    // Ctrl-C reaches the terminal's foreground process group; SIGTERM is sent to the process.
    process.kill(signal === 'SIGINT' ? -pid : pid, signal);
  });
  return { run, report: readReport(out) };
}

afterAll(removeTrees);

describe('run_notebooks.py stopped by a signal', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: ends every kernel, reports what ran and ends by ${signal} (exit status ${code})`, async () => {
      const { run, report } = await stopWith(signal);
      // The runner ends itself with the signal, so a calling shell or make stops too ($? = 128 + n).
      expect(run.signal ?? run.status, run.stderr).toBe(run.signal ? signal : code);
      expect(report.waits).toMatchObject({ status: 'interrupted', cell: 2, kind: `stopped by ${signal}` });
      expect(report.spins).toMatchObject({ status: 'interrupted', cell: 1, kind: `stopped by ${signal}` });
      expect(report.queued).toMatchObject({ status: 'not run', kind: `stopped by ${signal} before it started` });
      expect(run.stderr).toMatch(new RegExp(`^STOPPED waits\\.ipynb: cell 2 stopped by ${signal}$`, 'm'));
      expect(run.stderr).toContain('| await new Promise(() => {});');
      expect(run.stderr).toMatch(new RegExp(`^STOPPED spins\\.ipynb: cell 1 stopped by ${signal}$`, 'm'));
      expect(run.stderr).toMatch(new RegExp(`^NOT RUN queued\\.ipynb: stopped by ${signal} before it started$`, 'm'));
      expect(run.stdout).toContain(`stopped by ${signal}: 0 of 3 notebooks ok (2 executed, 0 up to date, 1 not run)`);
      expect(survivors(run.pid, [report.waits.kernel_pid!, report.spins.kernel_pid!])).toEqual([]);
    });
  }

  it('SIGKILL: the kernel, busy in a cell, ends on its own once its runner is gone', async () => {
    const dir = writeTree('sigkill', { 'spins.ipynb': files['spins.ipynb'] });
    let kernels: number[] = [];
    let connectionFile = '';
    const run = await startRunner(['--out', path.join(dir, 'out'), path.join(dir, 'spins.ipynb')], async (pid) => {
      await waitFor(() => existsSync(path.join(dir, 'spins.started')), 'the long cell');
      kernels = kernelsOf(pid);
      connectionFile = readFileSync(`/proc/${kernels[0]}/cmdline`, 'utf8').split('\0')[2];
      process.kill(pid, 'SIGKILL');
    });
    expect(run.signal).toBe('SIGKILL');
    expect(kernels.length).toBe(1);
    // The kernel's watchdog looks every 0.5 s and follows SIGTERM with SIGKILL after 2 s.
    await waitFor(() => survivors(run.pid, kernels).length === 0, `the orphaned kernel ${kernels[0]} to end`, 20_000);
    // The killed runner could not remove the kernel's connection file.
    if (connectionFile.endsWith('.json')) rmSync(connectionFile, { force: true });
  });
});
