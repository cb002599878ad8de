// The one module that reaches into tslab 1.0.22 (node_modules/tslab/dist): it replaces tslab's
// Jupyter server with one that speaks the messaging protocol (5.3) in full, and keeps tslab's
// TypeScript executor, converter and display hook. kernel/launch.js calls patchTslab() before
// tslab's startKernel(); every internal used is listed in TSLAB_INTERNALS and checked first, and a
// missing one stops the kernel with a message naming it (and the version it was read from).
//
// What the server does that tslab's does not:
// - binds all five sockets before it reads any: tslab starts its receive loops first, so a message
//   that arrives while a bind is still finishing (zeromq marks the socket 'Blocked' until the bind's
//   callback runs on the main thread) makes the next receive throw "Socket is blocked by a bind or
//   unbind operation"; the shell loop died and the kernel answered only heartbeats. A loop that fails
//   anyway ends the kernel with the reason on stderr: no half-alive kernel.
// - sends every message of a socket in order: zeromq's send() resolves later after 512 quick sends
//   and throws "busy writing" meanwhile, and Node's console dropped the error, so lines were lost;
//   here such a send waits for the one in flight. Stream text written while sends wait is gathered
//   into one message (up to 1 MB), flushed before any other output of the cell, and iopub has no
//   high-water mark (zeromq's PUB socket drops messages above it): nothing is dropped.
// - kernel_info_reply with status, language_info (version, mimetype, file_extension,
//   codemirror_mode, pygments_lexer, nbconvert_exporter), execute_input with execution counts,
//   execute_result for a cell's last expression (tslab console.logs it), with the rich bundle of a
//   value that offers one (Symbol.for('Jupyter.display'): cnnlib's tensors and models) or of a
//   vega-lite v5 spec, error messages with ename,
//   evalue and a traceback (TypeScript diagnostics with the cell's line, column and a caret; runtime
//   errors with their stack), history (tail, range, search), is_complete with 'invalid',
//   clear_output (tslab.display.clear()), comm_info_reply (tslab answered complete_reply),
//   interrupt_request, stop_on_error (requests queued behind a failed cell are aborted only then).
// - SIGINT also stops a running tfjs model.fit()/fitDataset() at its next batch (stopTraining).
// - shutdown_request ends the process after its reply, even while a cell (a training) still runs.
// - TypeScript finds packages of NODE_PATH (the kernelspec sets the project's node_modules), so a
//   notebook outside the checkout can import cnnlib; Node's require already honours NODE_PATH.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const util = require('util');

const TSLAB_VERSION = '1.0.22';
const PROTOCOL_VERSION = '5.3';
const STREAM_FLUSH_MS = 20;
const STREAM_FLUSH_BYTES = 1 << 20;
const DELIM = Buffer.from('<IDS|MSG>');

/**
 * Each tslab internal this module relies on: the module of tslab/dist, the name, how it is checked
 * (fn: a function at that path of the module's exports, prop: an export that exists, object: an
 * object export, text: a string in the module's source) and what is expected of it.
 */
const TSLAB_INTERNALS = [
  { mod: 'jupyter', name: 'ZmqServer.prototype.init', kind: 'fn', what: 'the server start (replaced; this.handler and this.configPath are read)' },
  { mod: 'jupyter', name: 'JupyterHandlerImpl.prototype.handleKernel', kind: 'fn', what: 'kernel_info content (its codemirror_mode is kept)' },
  { mod: 'jupyter', name: 'JupyterHandlerImpl.prototype.handleInspect', kind: 'fn', what: 'inspect_request content -> reply content' },
  { mod: 'jupyter', name: 'JupyterHandlerImpl.prototype.handleComplete', kind: 'fn', what: 'complete_request content -> reply content' },
  { mod: 'jupyter', name: 'JupyterHandlerImpl.prototype.close', kind: 'fn', what: 'closes the converter' },
  { mod: 'jupyter', name: 'this.executor = executor', kind: 'text', what: 'the handler keeps the executor (execute, interrupt)' },
  { mod: 'jupyter', name: 'lastWriteDisplayData', kind: 'prop', what: 'a writable export: the display hook of the running cell' },
  { mod: 'executor', name: 'createExecutor', kind: 'fn', what: 'called by main.startKernel as (rootDir, convs, console)' },
  { mod: 'executor', name: 'console.log(ret)', kind: 'text', what: "how executor.js prints a cell's last expression" },
  { mod: 'executor', name: '"%s%d:%d - %s"', kind: 'text', what: 'how executor.js prints a TypeScript diagnostic (file, line, column, text)' },
  { mod: 'executor', name: 'console.error(e)', kind: 'text', what: 'how executor.js prints a runtime error' },
  { mod: 'executor', name: 'vm_1.default.runInThisContext(wrapped', kind: 'text', what: 'how executor.js runs the compiled cell (its code is kept for tracebacks)' },
  { mod: 'converter', name: 'isCompleteCode', kind: 'fn', what: 'code -> { completed, indent }' },
  { mod: 'public', name: 'display', kind: 'object', what: 'the display object of `import * as tslab from "tslab"` (gets clear())' },
];

/** The error thrown when an internal is missing: names it and the tslab version expected. */
function missing(mod, name, detail) {
  return new Error(`kernel: tslab internal '${name}' not found in tslab/dist/${mod}.js (tslab ${TSLAB_VERSION} expected): ${detail}`);
}

/**
 * tslab's modules, checked: every entry of TSLAB_INTERNALS must be there, else an Error names the
 * first one missing. `mods` replaces modules and `sources` their text (tests use both).
 */
function loadTslab(root, mods = {}, sources = {}) {
  const dir = path.dirname(require.resolve('tslab/package.json', { paths: [root] }));
  const load = (m) => mods[m] ?? require(path.join(dir, 'dist', `${m}.js`));
  const text = (m) => sources[m] ?? fs.readFileSync(path.join(dir, 'dist', `${m}.js`), 'utf8');
  const t = { dir, jupyter: load('jupyter'), executor: load('executor'), converter: load('converter'), public: load('public') };
  for (const { mod, name, kind, what } of TSLAB_INTERNALS) {
    const at = () => name.split('.').reduce((v, p) => (v == null ? undefined : v[p]), t[mod]);
    const ok = {
      fn: () => typeof at() === 'function',
      prop: () => t[mod] != null && name in t[mod],
      object: () => at() !== null && typeof at() === 'object',
      text: () => text(mod).includes(name),
    }[kind]();
    if (!ok) throw missing(mod, name, `expected ${what}`);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Wire protocol

function signer(conn) {
  const key = conn.key || '';
  const scheme = (conn.signature_scheme || 'hmac-sha256').replace(/^hmac-/, '');
  return (parts) => {
    if (!key) return '';
    const h = crypto.createHmac(scheme, key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };
}

function parse(frames, sign) {
  const at = frames.findIndex((f) => f.equals(DELIM));
  if (at < 0) throw new Error('message without delimiter');
  const [sig, ...rest] = frames.slice(at + 1);
  const parts = rest.slice(0, 4);
  if (sign(parts) !== sig.toString()) throw new Error('message with a wrong signature');
  const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString()));
  return { identity: frames.slice(0, at), header, parent, metadata, content, buffers: rest.slice(4) };
}

// ---------------------------------------------------------------------------------------------
// The server

class Server {
  constructor(tslab, handler, connectionFile, stderr) {
    this.tslab = tslab;
    this.handler = handler;
    this.executor = handler.executor;
    this.conn = JSON.parse(fs.readFileSync(connectionFile, 'utf8'));
    this.sign = signer(this.conn);
    this.session = crypto.randomUUID();
    this.stderr = stderr; // the process's own stderr (cells' writes go to iopub)
    this.count = 0;
    this.history = []; // [line, input, output]
    this.errorGeneration = 0;
    this.queue = Promise.resolve();
    this.chains = new Map();
    this.pending = null; // gathered stream text: { parent, name, parts, bytes, timer }
    this.capture = null; // what the executor printed for the running cell
    this.training = new Set();
  }

  async start() {
    const zmq = require(require.resolve('zeromq', { paths: [this.tslab.dir] }));
    this.iopub = new zmq.Publisher({ sendHighWaterMark: 0, linger: 1000 });
    this.shell = new zmq.Router({ linger: 1000 });
    this.control = new zmq.Router({ linger: 1000 });
    this.stdin = new zmq.Router();
    this.hb = new zmq.Reply();
    const c = this.conn;
    const addr = (port) => `${c.transport}://${c.ip}:${port}`;
    await Promise.all([
      this.iopub.bind(addr(c.iopub_port)),
      this.shell.bind(addr(c.shell_port)),
      this.control.bind(addr(c.control_port)),
      this.stdin.bind(addr(c.stdin_port)),
      this.hb.bind(addr(c.hb_port)),
    ]);
    // Only now read: a receive while a bind is finishing throws EBUSY (see the top of this file).
    this.loop('shell', this.shell, (f) => this.dispatch(this.shell, f));
    this.loop('control', this.control, (f) => this.dispatch(this.control, f));
    this.loop('heartbeat', this.hb, (f) => this.send(this.hb, f), true);
    this.publish(null, 'status', { execution_state: 'starting' });
  }

  /** Receives on `sock` until it closes; `inTurn`: wait for each message's handling (a Reply socket). */
  async loop(name, sock, handle, inTurn = false) {
    for (;;) {
      let frames;
      try {
        frames = await sock.receive();
      } catch (e) {
        if (sock.closed || this.closing) return;
        this.fatal(`the ${name} socket failed: ${e && e.message}`);
        return;
      }
      const done = Promise.resolve(handle(frames)).catch((e) => this.stderr(`[cnn-notebooks kernel] ${name} message failed: ${util.inspect(e)}\n`));
      if (inTurn) await done;
    }
  }

  fatal(why) {
    this.stderr(`[cnn-notebooks kernel] ${why}; ending the kernel\n`);
    process.exit(70);
  }

  /**
   * Sends frames on `sock` after everything sent on it before. zeromq takes a send at once (even
   * while a cell's synchronous code runs) unless an earlier one is still in flight, which it then
   * refuses with EBUSY: those wait in order for the one in flight.
   */
  send(sock, frames) {
    let s = this.chains.get(sock);
    if (!s) this.chains.set(sock, (s = { last: null, queue: [] }));
    const report = (e) => {
      if (!this.closing) this.stderr(`[cnn-notebooks kernel] send failed: ${e && e.message}\n`);
    };
    if (s.queue.length === 0) {
      try {
        const sent = sock.send(frames);
        s.last = sent;
        return sent.catch(report);
      } catch (e) {
        if (!e || e.code !== 'EBUSY') return Promise.resolve(report(e));
      }
    }
    return new Promise((done) => {
      s.queue.push({ frames, done });
      if (s.queue.length === 1) this.drain(sock, s, report);
    });
  }

  async drain(sock, s, report) {
    while (s.queue.length) {
      if (s.last) await s.last.catch(() => {});
      const item = s.queue[0];
      try {
        s.last = sock.send(item.frames);
      } catch (e) {
        if (e && e.code === 'EBUSY') {
          await new Promise((r) => setImmediate(r));
          continue;
        }
        s.queue.shift();
        report(e);
        item.done();
        continue;
      }
      s.queue.shift();
      s.last.then(item.done, (e) => item.done(report(e)));
    }
    if (sock === this.iopub) this.flush(); // text gathered while the sends waited
  }

  frames(identity, type, parent, content, metadata = {}) {
    const header = {
      msg_id: crypto.randomUUID(),
      msg_type: type,
      username: (parent && parent.header.username) || 'kernel',
      session: this.session,
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    };
    const parts = [header, parent ? parent.header : {}, metadata, content].map((p) => JSON.stringify(p));
    return [...identity, DELIM, this.sign(parts), ...parts];
  }

  reply(sock, msg, type, content, metadata) {
    return this.send(sock, this.frames(msg.identity, type, msg, content, metadata));
  }

  /** An iopub message; gathered stream text of the cell goes out first. */
  publish(parent, type, content, metadata) {
    if (type !== 'stream') this.flush();
    return this.send(this.iopub, this.frames([Buffer.from(type)], type, parent, content, metadata));
  }

  /**
   * Stream text goes out at once while iopub keeps up. When zeromq makes sends wait (a cell printing
   * fast), the text is gathered and goes out when the sends in waiting are done, after
   * STREAM_FLUSH_MS, or at STREAM_FLUSH_BYTES (checked at each write, so a loop that prints and never
   * yields still sends its text in chunks).
   */
  stream(parent, name, text) {
    if (!text) return;
    const now = Date.now();
    const p = this.pending;
    if (p && (p.parent !== parent || p.name !== name)) this.flush();
    if (!this.pending) {
      const waiting = this.chains.get(this.iopub);
      if (!waiting || waiting.queue.length === 0) {
        this.publish(parent, 'stream', { name, text });
        return;
      }
      this.pending = { parent, name, parts: [], bytes: 0, started: now, timer: setTimeout(() => this.flush(), STREAM_FLUSH_MS) };
    }
    this.pending.parts.push(text);
    this.pending.bytes += text.length;
    if (this.pending.bytes >= STREAM_FLUSH_BYTES || now - this.pending.started >= STREAM_FLUSH_MS) this.flush();
  }

  flush() {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    this.publish(p.parent, 'stream', { name: p.name, text: p.parts.join('') });
  }

  async dispatch(sock, frames) {
    let msg;
    try {
      msg = parse(frames, this.sign);
    } catch (e) {
      this.stderr(`[cnn-notebooks kernel] dropped a message: ${e.message}\n`);
      return;
    }
    const type = msg.header.msg_type;
    const handlers = {
      kernel_info_request: () => this.reply(sock, msg, 'kernel_info_reply', this.kernelInfo()),
      execute_request: () => this.execute(sock, msg),
      is_complete_request: () => this.reply(sock, msg, 'is_complete_reply', this.isComplete(msg.content.code)),
      inspect_request: () => this.reply(sock, msg, 'inspect_reply', this.inspect(msg.content)),
      complete_request: () => this.reply(sock, msg, 'complete_reply', this.complete(msg.content)),
      history_request: () => this.reply(sock, msg, 'history_reply', this.historyReply(msg.content)),
      comm_info_request: () => this.reply(sock, msg, 'comm_info_reply', { status: 'ok', comms: {} }),
      interrupt_request: () => {
        this.interrupt();
        return this.reply(sock, msg, 'interrupt_reply', { status: 'ok' });
      },
      shutdown_request: () => this.shutdown(sock, msg),
    };
    const handle = handlers[type];
    if (!handle) return; // e.g. debug_request (kernel_info says debugger: false), usage_request
    this.publish(msg, 'status', { execution_state: 'busy' });
    try {
      await handle();
    } finally {
      this.publish(msg, 'status', { execution_state: 'idle' });
    }
  }

  kernelInfo() {
    const base = this.handler.handleKernel();
    const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [this.tslab.dir] }));
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'tslab',
      implementation_version: require(path.join(this.tslab.dir, 'package.json')).version,
      language_info: {
        name: 'typescript',
        version: ts.version,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        codemirror_mode: (base.language_info && base.language_info.codemirror_mode) || { name: 'javascript', typescript: true },
        pygments_lexer: 'typescript',
        nbconvert_exporter: 'script',
      },
      banner: `TypeScript ${ts.version} (tslab ${TSLAB_VERSION}, Node.js ${process.version}) for cnn-notebooks`,
      help_links: [{ text: 'tslab', url: 'https://github.com/yunabe/tslab' }],
      debugger: false,
    };
  }

  isComplete(code) {
    const res = this.tslab.converter.isCompleteCode(code);
    if (!res.completed) return { status: 'incomplete', indent: res.indent || '' };
    if (/(^|\n)\s*\n\s*$/.test(code)) return { status: 'complete' }; // two blank lines: run as is
    const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [this.tslab.dir] }));
    const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
    const syntax = (out.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 1375 && d.code !== 1378 && d.code !== 1308);
    return syntax.length ? { status: 'invalid' } : { status: 'complete' };
  }

  inspect(content) {
    try {
      const r = this.handler.handleInspect(content);
      return { status: 'ok', found: !!r.found, data: r.data || {}, metadata: r.metadata || {} };
    } catch (e) {
      return { status: 'error', ename: 'InspectError', evalue: String(e && e.message), traceback: [] };
    }
  }

  complete(content) {
    const pos = content.cursor_pos ?? String(content.code ?? '').length;
    try {
      const r = this.handler.handleComplete({ ...content, cursor_pos: pos });
      return { status: 'ok', matches: r.matches || [], cursor_start: r.cursor_start ?? pos, cursor_end: r.cursor_end ?? pos, metadata: r.metadata || {} };
    } catch (e) {
      return { status: 'ok', matches: [], cursor_start: pos, cursor_end: pos, metadata: {} };
    }
  }

  historyReply(c) {
    const output = !!c.output;
    const entry = ([line, input, out]) => [1, line, output ? [input, out] : input];
    let items = this.history;
    if (c.hist_access_type === 'range') {
      const start = c.start || 0;
      const stop = c.stop || Infinity;
      items = [0, 1].includes(c.session ?? 0) ? items.filter(([line]) => line >= start && line < stop) : [];
    } else if (c.hist_access_type === 'search') {
      const glob = c.pattern || '*';
      const re = new RegExp('^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]') + '$');
      items = items.filter(([, input]) => re.test(input));
      if (c.unique) {
        const seen = new Set();
        items = items.slice().reverse().filter(([, input]) => !seen.has(input) && seen.add(input)).reverse();
      }
      if (c.n) items = items.slice(-c.n);
    } else {
      items = items.slice(-(c.n || 10));
    }
    return { status: 'ok', history: items.map(entry) };
  }

  interrupt() {
    this.executor.interrupt();
    for (const model of this.training) {
      try {
        model.stopTraining = true; // tfjs-layers checks it after each batch
      } catch {
        // not a LayersModel after all
      }
    }
  }

  async shutdown(sock, msg) {
    const restart = !!msg.content.restart;
    await this.reply(sock, msg, 'shutdown_reply', { status: 'ok', restart });
    await this.publish(msg, 'status', { execution_state: 'idle' });
    this.closing = true;
    try {
      this.handler.close();
    } catch {
      // the converter's watchers are gone with the process anyway
    }
    // End even if a cell (a training, a timer) still keeps the event loop busy; 'exit' handlers run.
    setTimeout(() => process.exit(0), 50);
  }

  execute(sock, msg) {
    const generation = this.errorGeneration;
    const run = this.queue.then(() => this.executeNow(sock, msg, generation));
    this.queue = run.catch(() => {});
    return run;
  }

  async executeNow(sock, msg, generation) {
    const c = msg.content;
    const code = String(c.code ?? '');
    const silent = !!c.silent;
    const storeHistory = !silent && c.store_history !== false;
    if (generation !== this.errorGeneration) {
      // A cell before this one failed with stop_on_error: requests queued behind it are aborted.
      return this.reply(sock, msg, 'execute_reply', { status: 'abort', execution_count: this.count });
    }
    if (storeHistory) this.count++;
    const count = this.count;
    if (!silent) this.publish(msg, 'execute_input', { code, execution_count: count });
    // Output of the cell, and whatever its timers print later, goes to this request (as tslab does).
    process.stdout.write = this.writer(msg, 'stdout');
    process.stderr.write = this.writer(msg, 'stderr');
    const display = (content, update) => this.publish(msg, update ? 'update_display_data' : 'display_data', {
      data: content.data || {}, metadata: content.metadata || {}, transient: content.transient || {},
    });
    display.clear = (wait = false) => this.publish(msg, 'clear_output', { wait: !!wait });
    this.tslab.jupyter.lastWriteDisplayData = display;
    const capture = (this.capture = { diagnostics: [], errors: [], value: undefined, hasValue: false, compiled: null });
    let ok;
    try {
      ok = code.trim() === '' ? true : await this.executor.execute(code);
    } catch (e) {
      capture.errors.push(e);
      ok = false;
    } finally {
      this.capture = null;
    }
    let result = null;
    if (ok && capture.hasValue) {
      const data = await resultBundle(capture.value, (note) => this.stream(msg, 'stderr', note));
      result = data['text/plain'];
      if (!silent) this.publish(msg, 'execute_result', { execution_count: count, data, metadata: {} });
    }
    if (ok && capture.diagnostics.length) {
      // a module cell (//%module): tslab registers it despite diagnostics and prints them
      this.stream(msg, 'stderr', capture.diagnostics.map((d) => d.text + '\n').join(''));
    }
    if (storeHistory) this.history.push([count, code, result]);
    if (ok) {
      this.flush();
      return this.reply(sock, msg, 'execute_reply', { status: 'ok', execution_count: count, payload: [], user_expressions: {} });
    }
    let error;
    try {
      error = errorContent(code, capture);
    } catch (e) {
      error = { ename: 'Error', evalue: 'the cell failed (its error could not be read)', traceback: [String(e && e.message)] };
    }
    this.publish(msg, 'error', error);
    if (c.stop_on_error !== false) this.errorGeneration++;
    this.flush();
    return this.reply(sock, msg, 'execute_reply', { status: 'error', execution_count: count, ...error });
  }

  writer(msg, name) {
    return (chunk, encoding, callback) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
      this.stream(msg, name, text);
      const cb = typeof encoding === 'function' ? encoding : callback;
      if (typeof cb === 'function') process.nextTick(cb);
      return true;
    };
  }

  /** The console tslab's executor prints with: the cell's value and errors are kept, not printed. */
  executorConsole() {
    const server = this;
    return {
      log(...args) {
        const c = server.capture;
        if (c && args.length === 1) {
          c.value = args[0];
          c.hasValue = true;
        } else console.log(...args);
      },
      error(...args) {
        const c = server.capture;
        if (!c) return console.error(...args);
        if (args[0] === '%s%d:%d - %s' && args.length === 5) {
          c.diagnostics.push({ file: String(args[1]).trim(), line: args[2], column: args[3], message: String(args[4]), text: util.format(...args) });
        } else c.errors.push(args.length === 1 ? args[0] : util.format(...args));
      },
    };
  }

  /** Wraps tfjs-layers' fit and fitDataset, once loaded, so SIGINT can stop a running training. */
  watchTraining() {
    const Module = require('module');
    const server = this;
    const wrapped = new WeakSet();
    const wrap = (exports) => {
      const proto = exports && exports.LayersModel && exports.LayersModel.prototype;
      if (!proto || wrapped.has(proto)) return;
      wrapped.add(proto);
      for (const name of ['fit', 'fitDataset']) {
        const original = proto[name];
        if (typeof original !== 'function') continue;
        proto[name] = function (...args) {
          server.training.add(this);
          let p;
          try {
            p = original.apply(this, args);
          } catch (e) {
            server.training.delete(this);
            throw e;
          }
          return Promise.resolve(p).finally(() => server.training.delete(this));
        };
      }
    };
    const load = Module._load;
    if (typeof load !== 'function') return;
    Module._load = function (request, ...rest) {
      const exports = load.call(this, request, ...rest);
      if (typeof request === 'string' && (request === '@tensorflow/tfjs-layers' || request === '@tensorflow/tfjs')) wrap(exports);
      return exports;
    };
  }
}

/** The file name the compiled cell runs under (its frames in a stack). */
const CELL_FILE = '<cell>';

/**
 * The cell line of each line of the compiled cell (1-based; 0 where none: tslab's own lines). TypeScript
 * keeps the order of statements and drops types, so the names, numbers and strings of a compiled
 * line appear, in order, on its cell line: each compiled line goes to the first cell line after the
 * previous one's that has them, else to that same line (`exports.x` and `tsLastExpr` are tslab's).
 */
const JUPYTER_DISPLAY = Symbol.for('Jupyter.display');
const VEGA_LITE = /^https:\/\/vega\.github\.io\/schema\/vega-lite\/v5(\.\d+)*\.json$/;

/**
 * The execute_result data of a cell's last value: what its `[Symbol.for('Jupyter.display')]()`
 * returns (awaited; the convention of Deno's kernel, which cnnlib gives tensors and models), a
 * vega-lite v5 spec (an object whose $schema names it) as application/vnd.vegalite.v5+json, and
 * always text/plain. A display method that throws or returns no bundle is reported on stderr and the
 * value printed as text.
 */
async function resultBundle(value, warn) {
  const text = (v) => {
    try {
      return util.format(v);
    } catch (e) {
      return `<a value that cannot be printed: ${e && e.message}>`;
    }
  };
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    let method;
    try {
      method = value[JUPYTER_DISPLAY];
    } catch {
      method = undefined;
    }
    if (typeof method === 'function') {
      try {
        const b = await method.call(value);
        if (b === null || typeof b !== 'object' || Array.isArray(b) || !Object.keys(b).every((k) => /^[a-z]+\/[a-z0-9.+-]+$/i.test(k))) {
          throw new Error(`expected an object of MIME type -> data, got ${text(b).slice(0, 80)}`);
        }
        const data = {};
        for (const [k, v] of Object.entries(b)) data[k] = /json$/.test(k) || typeof v === 'string' ? v : String(v);
        if (typeof data['text/plain'] !== 'string') data['text/plain'] = text(value);
        return data;
      } catch (e) {
        warn(`[Symbol.for('Jupyter.display')] of the result failed: ${e && e.message}\n`);
      }
    } else if (typeof value.$schema === 'string' && VEGA_LITE.test(value.$schema)) {
      try {
        const spec = JSON.parse(JSON.stringify(value));
        const mark = typeof spec.mark === 'string' ? spec.mark : spec.mark && spec.mark.type;
        return { 'application/vnd.vegalite.v5+json': spec, 'text/plain': `<vega-lite figure${mark ? `: ${mark}` : ''}>` };
      } catch (e) {
        warn(`the vega-lite spec cannot be sent as JSON: ${e && e.message}\n`);
      }
    }
  }
  return { 'text/plain': text(value) };
}

function alignCompiled(compiled, cellLines) {
  const tokens = (t) => t.match(/[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g) || [];
  const within = (a, b) => {
    let i = 0;
    for (const t of b) if (i < a.length && t === a[i]) i++;
    return i === a.length;
  };
  const cell = cellLines.map(tokens);
  const js = compiled.split('\n');
  const map = new Array(js.length + 1).fill(0);
  let at = -1;
  js.forEach((raw, k) => {
    const line = raw.replace(/^\((async )?function\(exports, require\) \{ /, '');
    if (/^Object\.defineProperty\(exports, "__esModule"|^(exports\.[\w$]+ = )+void 0;$|^exports\.([\w$]+) = \1;$|^\}\)\(__tslab__\./.test(line)) return;
    const t = tokens(line.replace(/\bexports\.(tsLastExpr\d* = )?/g, ''));
    if (t.length === 0) return;
    // the next cell lines first; the same line again when a cell line compiled to several
    for (const i of [...cell.keys()].slice(at + 1).concat(at >= 0 ? [at] : [])) {
      if (within(t, cell[i])) {
        map[k + 1] = i + 1;
        at = i;
        return;
      }
    }
  });
  return map;
}

/** A frame's position in the compiled cell, as the cell line it came from. */
function cellPosition(map, line, col) {
  const at = map ? map[line] : 0;
  return at ? `cell line ${at}` : `cell (compiled JavaScript line ${line}, column ${col})`;
}

/** The `error` content of a failed cell: ename, evalue, traceback (cell line and column). */
function errorContent(code, capture) {
  const lines = code.split('\n');
  if (capture.diagnostics.length) {
    const traceback = [];
    for (const d of capture.diagnostics) {
      traceback.push(`${d.file ? d.file + ' ' : 'cell '}line ${d.line}, column ${d.column}: ${d.message}`);
      if (!d.file && lines[d.line - 1] !== undefined) {
        traceback.push(`  ${lines[d.line - 1]}`, `  ${' '.repeat(Math.max(0, d.column - 1))}^`);
      }
    }
    const first = capture.diagnostics[0];
    const more = capture.diagnostics.length > 1 ? ` (and ${capture.diagnostics.length - 1} more)` : '';
    return { ename: 'TSError', evalue: `${first.line}:${first.column} - ${first.message}${more}`, traceback };
  }
  const e = capture.errors[0];
  if (e instanceof Error || (e && typeof e === 'object' && typeof e.stack === 'string')) {
    let ename = e.name || (e.constructor && e.constructor.name) || 'Error';
    let evalue = String(e.message ?? '');
    if (evalue === 'Interrupted asynchronously') [ename, evalue] = ['Interrupted', 'the cell was interrupted'];
    if (/Script execution was interrupted/.test(evalue)) [ename, evalue] = ['Interrupted', 'the cell was interrupted'];
    const stack = String(e.stack || `${ename}: ${evalue}`).split('\n');
    // Frames up to the executor's own: what ran in the cell and in the libraries it called.
    const end = stack.findIndex((l) => /tslab[\\/]dist[\\/]executor\.js/.test(l));
    const map = capture.compiled ? alignCompiled(capture.compiled, lines) : null;
    const last = capture.compiled ? capture.compiled.split('\n').length : 0;
    const cellFrame = new RegExp(`${CELL_FILE}:(\\d+):(\\d+)`);
    const frames = (end > 0 ? stack.slice(0, end) : stack)
      .filter((l) => !/\(node:vm:|at node:vm:|kernel[\\/]tslab-patch\.js/.test(l))
      .filter((l) => !(cellFrame.test(l) && +l.match(cellFrame)[1] === last)) // tslab's wrapper call
      .map((l) => l.replace(cellFrame, (_, line, col) => cellPosition(map, +line, +col)));
    return { ename, evalue, traceback: frames };
  }
  if (e === undefined) return { ename: 'Error', evalue: 'the cell failed', traceback: [] };
  const text = typeof e === 'string' ? e : util.inspect(e);
  return { ename: 'Error', evalue: `thrown: ${text}`, traceback: [`Uncaught ${text}`] };
}

/**
 * TypeScript resolves packages from the notebook's folder upward; this adds the folders of NODE_PATH
 * (the kernelspec sets the project's node_modules) as if they were `<cwd>/node_modules`, as Node's
 * require does at run time. Only folders not already reachable from the working folder are added.
 */
function addNodePathToTypeScript(tslabDir, cwd = process.cwd()) {
  const ancestors = new Set();
  for (let d = cwd; ; d = path.dirname(d)) {
    ancestors.add(path.join(d, 'node_modules'));
    if (path.dirname(d) === d) break;
  }
  const extra = (process.env.NODE_PATH || '')
    .split(path.delimiter)
    .filter((d) => d && path.isAbsolute(d) && fs.existsSync(d) && !ancestors.has(path.resolve(d)));
  if (!extra.length) return;
  const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] }));
  const prefix = path.join(cwd, 'node_modules') + '/';
  const sys = ts.sys;
  const forward = (p, exists) => {
    if (typeof p !== 'string' || !p.startsWith(prefix) || exists(p)) return p;
    for (const d of extra) {
      const q = path.join(d, p.slice(prefix.length));
      if (exists(q)) return q;
    }
    return p;
  };
  const { fileExists, directoryExists, readFile, realpath, getDirectories, readDirectory } = sys;
  const isDir = (q) => directoryExists.call(sys, q);
  sys.fileExists = (p) => fileExists.call(sys, forward(p, (q) => fileExists.call(sys, q)));
  sys.directoryExists = (p) => directoryExists.call(sys, forward(p, isDir));
  sys.readFile = (p, enc) => readFile.call(sys, forward(p, (q) => fileExists.call(sys, q)), enc);
  sys.getDirectories = (p) => getDirectories.call(sys, forward(p, isDir));
  sys.readDirectory = (p, ...rest) => readDirectory.call(sys, forward(p, isDir), ...rest);
  if (realpath) sys.realpath = (p) => realpath.call(sys, forward(p, (q) => fs.existsSync(q)));
}

/**
 * Replace tslab's server (see the top of this file). Call before tslab's startKernel.
 * @param root the folder whose node_modules hold tslab
 * @throws Error naming the tslab internal that is missing
 */
function patchTslab(root, opts = {}) {
  const tslab = loadTslab(root, opts.mods, opts.sources);
  const stderr = opts.stderr || ((s) => fs.writeSync(2, s));
  const { jupyter, executor } = tslab;
  let server = null;
  const createExecutor = executor.createExecutor;
  let executorConsole = null;
  executor.createExecutor = function (rootDir, convs, _console) {
    // The console object is read when the executor prints, so it can be given before the server exists.
    executorConsole = {
      log: (...a) => (server ? server.executorConsole().log(...a) : console.log(...a)),
      error: (...a) => (server ? server.executorConsole().error(...a) : console.error(...a)),
    };
    return createExecutor.call(this, rootDir, convs, executorConsole);
  };
  jupyter.ZmqServer.prototype.init = async function () {
    server = new Server(tslab, this.handler, this.configPath, stderr);
    process.on('SIGINT', () => {
      for (const model of server.training) model.stopTraining = true;
    });
    server.watchTraining();
    try {
      await server.start();
    } catch (e) {
      server.fatal(`could not start: ${e && e.message}`);
    }
  };
  // The compiled cell runs under a file name of its own, and its code is kept for the traceback.
  const vm = require('vm');
  const runInThisContext = vm.runInThisContext;
  vm.runInThisContext = function (code, options) {
    const capture = server && server.capture;
    if (capture && typeof code === 'string' && /^\((async )?function\(exports, require\) \{ /.test(code)) {
      capture.compiled = code;
      options = { ...(typeof options === 'object' ? options : {}), filename: CELL_FILE, displayErrors: false };
    }
    return runInThisContext.call(this, code, options);
  };
  tslab.public.display.clear = function (wait = false) {
    const hook = jupyter.lastWriteDisplayData;
    if (hook == null || typeof hook.clear !== 'function') throw new Error('clear: not in a running cell');
    hook.clear(wait);
  };
  addNodePathToTypeScript(tslab.dir);
  return tslab;
}

module.exports = { patchTslab, loadTslab, TSLAB_INTERNALS, errorContent, resultBundle };
