// globalSetup of the `notebooks` project: execute every notebook through real Jupyter once and
// render the guide (the Makefile targets skip what is up to date). Failures are not thrown here: each
// notebook's test reports its own failure with the cell and the error (see executed.ts).
import { spawnSync } from 'child_process';
import * as path from 'path';

export default function setup(): void {
  // CNN_SKIP_EXECUTE=1: check notebooks already executed (see CNN_EXECUTED_DIR in executed.ts).
  if (process.env.CNN_SKIP_EXECUTE === '1') return;
  const root = path.resolve(__dirname, '..', '..');
  const r = spawnSync('make', ['--no-print-directory', 'render'], { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
}
