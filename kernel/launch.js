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
// tslab binds its five sockets concurrently, so a kernel_info_request can reach the shell socket
// while iopub is still binding; its 'busy' status then fails with EBUSY ("Socket is blocked by a
// bind or unbind operation"), printed as an UnhandledPromiseRejection (seen under load, about 1
// kernel start in 10). Bind iopub first, then the others.
const { ZmqServer } = require(require.resolve('tslab/dist/jupyter', { paths: [root] }));
const bindSocket = ZmqServer.prototype.bindSocket;
ZmqServer.prototype.bindSocket = function (sock, port) {
  if (sock === this.iopub) return (this.iopubBound = bindSocket.call(this, sock, port));
  return Promise.resolve(this.iopubBound).then(() => bindSocket.call(this, sock, port));
};
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
