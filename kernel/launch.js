#!/usr/bin/env node
// The cnn-notebooks kernel: tslab (TypeScript) with the project's node_modules, so notebooks can
// `import { tf, ready } from "cnnlib"`. Jupyter starts it as `node kernel/launch.js <connection file>`.
'use strict';
const path = require('path');

const root = path.resolve(__dirname, '..');
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: node kernel/launch.js CONNECTION_FILE (Jupyter passes it)');
  process.exit(2);
}
// tfjs draws progress bars on a TTY stderr; in a notebook they are noise.
process.stderr.isTTY = false;
// Let the library know where it runs (display falls back to text outside a kernel).
process.env.CNN_NOTEBOOKS_KERNEL = '1';
// Resolve tslab from the project, not from a global install of another version.
const { startKernel } = require(require.resolve('tslab/dist/main', { paths: [root] }));
// Bind iopub before tslab's other sockets (an EBUSY race at start); the one module that touches
// tfjs/tslab internals checks tslab's first and names what is missing. It loads no tfjs.
require(path.join(root, 'lib', 'dist', 'backend', 'internals.js')).patchTslabBindOrder(root);
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
