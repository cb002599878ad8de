// Jupyter's own kernel conformance suite (Debian's python3-jupyter-kernel-test) on the project's
// kernel, with the TypeScript samples of test/kernel/conformance.py: kernel_info against the schema,
// stdout and stderr, execute_result, error, display_data, clear_output, completion, inspection,
// is_complete (complete, incomplete, invalid) and history (tail, range, search). The one test it
// skips (test_pager) is listed there with the reason; any other skip fails.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness';

describe('Jupyter kernel conformance (jupyter_kernel_test)', () => {
  it('passes every test but the optional pager', () => {
    const r = spawnSync('/usr/bin/python3', [path.join('test', 'kernel', 'conformance.py')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, JUPYTER_PATH: path.join(ROOT, 'build', 'jupyter'), PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.error, output).toBeUndefined();
    expect(r.status, output).toBe(0);
    expect(r.stdout).toMatch(/conformance: 12 run, 0 failed, 0 errors, 1 skipped \(test_pager\)/);
  });
});
