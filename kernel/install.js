#!/usr/bin/env node
// Writes the project's kernelspec into a Jupyter data directory (default: build/jupyter, so nothing
// global is touched). Usage: node kernel/install.js [DATA_DIR]
// Then point Jupyter at it:  JUPYTER_PATH=DATA_DIR jupyter lab   (see README, "Using the kernel").
// NODE_PATH is the project's node_modules: Node's require and (through kernel/tslab-patch.js) TypeScript
// find cnnlib there, so a notebook in any folder can import it.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(process.argv[2] || path.join(root, 'build', 'jupyter'));
const name = 'cnn-notebooks';
const dir = path.join(dataDir, 'kernels', name);
const spec = {
  argv: [process.execPath, path.join(root, 'kernel', 'launch.js'), '{connection_file}'],
  display_name: 'TypeScript (cnn-notebooks)',
  language: 'typescript',
  interrupt_mode: 'signal',
  env: { NODE_PATH: path.join(root, 'node_modules') },
  metadata: { debugger: false, 'cnn-notebooks': { root } },
};
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'kernel.json');
const text = JSON.stringify(spec, null, 2) + '\n';
if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
for (const logo of ['logo-32x32.png', 'logo-64x64.png']) {
  const src = path.join(__dirname, logo);
  if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dir, logo));
}
console.log(`kernelspec '${name}' -> ${file}`);
