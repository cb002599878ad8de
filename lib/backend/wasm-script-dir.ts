/**
 * The temporary folders that hold the threaded wasm start's two worker scripts (see ./wasm-threads):
 * one per start, under os.tmpdir(), named for the process that made it, `cnnlib-wasm-<pid>-XXXXXX`.
 * A process removes its folder at exit; one that is killed (SIGKILL, a crashed or killed notebook
 * kernel) cannot, so every start first removes the folders of processes that are no longer alive.
 * Not part of cnnlib's public API: ./wasm-threads uses it, the tests call it.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The start of every such folder's name. */
export const WASM_SCRIPT_DIR_PREFIX = 'cnnlib-wasm-';

const NAME = /^cnnlib-wasm-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * Whether a process with this id is running (one of another user counts as running).
 * @example pidAlive(process.pid)   // true
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the script folders under `tmp` whose process is no longer alive; folders of live processes,
 * of other users and names of another form are left alone, and an unreadable `tmp` removes nothing.
 * @param tmp default os.tmpdir()
 * @returns the paths removed
 * @example removeStaleWasmScriptDirs()   // ['/tmp/cnnlib-wasm-4242-a1B2c3'] after a killed kernel
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function removeStaleWasmScriptDirs(tmp = os.tmpdir()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return [];
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const removed: string[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    const dir = path.join(tmp, name);
    try {
      const st = fs.lstatSync(dir);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Gone already (another start swept it), or not ours to remove.
    }
  }
  return removed;
}

/**
 * A new script folder for this process under `tmp`, after removing the stale ones; removed again
 * when the process exits.
 * @param tmp default os.tmpdir()
 * @returns its path, `<tmp>/cnnlib-wasm-<pid>-XXXXXX`
 * @throws the fs error when the folder cannot be made (withWasmThreads turns it into a BackendError)
 * @example const dir = makeWasmScriptDir();   // '/tmp/cnnlib-wasm-4242-a1B2c3'
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function makeWasmScriptDir(tmp = os.tmpdir()): string {
  removeStaleWasmScriptDirs(tmp);
  const dir = fs.mkdtempSync(path.join(tmp, `${WASM_SCRIPT_DIR_PREFIX}${process.pid}-`));
  // The workers read the scripts as they start, during and after start-up: the folder goes at exit.
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
