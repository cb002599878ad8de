/**
 * The only code of cnnlib that talks to the tslab kernel's display API. A figure goes out as ONE
 * display_data message carrying several MIME types (e.g. vega-lite JSON for JupyterLab, SVG for
 * the static guide, text/plain for terminals), which tslab's own `display.raw` cannot do.
 * Outside a kernel (tests, scripts) the text/plain part is printed instead.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import { randomBytes } from 'crypto';
import { checkBoolean, checkOptionKeys } from '../check';
import { argError } from '../errors';

/** MIME type -> payload. JSON types (`application/*json`) take objects; binary images take bytes. */
export type MimeBundle = Record<string, string | object | Uint8Array>;

type WriteDisplayData = ((
  content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void) & { clear?: (wait: boolean) => void };

/** tslab's hook for the cell being executed, or undefined outside a tslab kernel. */
function kernelWriter(): WriteDisplayData | undefined {
  try {
    // Same module instance as the running kernel: both resolve to node_modules/tslab.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when running inside a tslab kernel cell (figures are sent as display data), false in tests
 * and scripts (figures fall back to their text/plain part).
 * @example if (!inKernel()) console.log('no notebook here');
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function inKernel(): boolean {
  return kernelWriter() !== undefined;
}

/**
 * Encode a bundle as Jupyter expects: bytes as base64, JSON types as objects, text as strings; adds a
 * text/plain part when missing.
 * @throws ArgError on an empty bundle, a key that is not a MIME type, or an object for a non-JSON type
 * @example encodeBundle({ 'image/png': bytes })  // { 'image/png': 'iVBOR...', 'text/plain': '<figure: image/png>' }
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function encodeBundle(bundle: MimeBundle): Record<string, unknown> {
  return encodeAs('encodeBundle', bundle);
}

/** {@link encodeBundle} reporting errors under the name `fn` (show, LiveDisplay.update, html ...). @internal */
export function encodeAs(fn: string, bundle: MimeBundle): Record<string, unknown> {
  if (bundle === null || typeof bundle !== 'object' || Array.isArray(bundle)) argError(fn, 'bundle', 'must be an object of MIME type -> payload', bundle);
  const keys = Object.keys(bundle);
  if (keys.length === 0) argError(fn, 'bundle', 'must have at least one MIME type', bundle);
  const data: Record<string, unknown> = {};
  for (const mime of keys) {
    if (!/^[a-z]+\/[a-z0-9.+-]+$/i.test(mime)) argError(fn, 'bundle', 'keys must be MIME types like image/png', mime);
    const v = bundle[mime];
    if (v instanceof Uint8Array) data[mime] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    else if (typeof v === 'string') data[mime] = v;
    else if (/json$/.test(mime)) data[mime] = v;
    else argError(fn, `bundle['${mime}']`, 'must be a string or bytes (only JSON MIME types take objects)', v);
  }
  if (!('text/plain' in data)) data['text/plain'] = `<figure: ${keys.join(', ')}>`;
  return data;
}

/** Display metadata: a plain object. */
function checkMetadata(fn: string, metadata: unknown): Record<string, unknown> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) argError(fn, 'metadata', 'must be an object', metadata);
  return metadata as Record<string, unknown>;
}

/**
 * Show one output with several MIME types. Inside a kernel it is one display_data message; outside,
 * its text/plain part is printed.
 * @throws ArgError as {@link encodeBundle}, or when metadata is not an object
 * @example show({ 'image/svg+xml': svg, 'text/plain': 'filters of conv1' })
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function show(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
  showAs('show', bundle, metadata);
}

/** {@link show} reporting errors under the name `fn`. @internal */
export function showAs(fn: string, bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
  const data = encodeAs(fn, bundle);
  checkMetadata(fn, metadata);
  const write = kernelWriter();
  if (write) write({ data, metadata, transient: {} }, false);
  else console.log(String(data['text/plain']));
}

/**
 * A display that is replaced in place: the first `update` shows it, later ones overwrite it, so a
 * static export keeps only the last frame (training curves, progress).
 * @example const live = new LiveDisplay(); for (...) live.update({ 'text/plain': `epoch ${e}` });
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export class LiveDisplay {
  readonly id = randomBytes(8).toString('hex');
  private shown = false;
  private lastText = '';

  update(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
    this.updateAs('LiveDisplay.update', bundle, metadata);
  }

  /** {@link update} reporting errors under the name `fn` (showVegaLite with opts.live). @internal */
  updateAs(fn: string, bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
    const data = encodeAs(fn, bundle);
    checkMetadata(fn, metadata);
    const write = kernelWriter();
    if (write) {
      write({ data, metadata, transient: { display_id: this.id } }, this.shown);
    } else {
      // Outside a kernel print only changes, so logs stay short.
      const text = String(data['text/plain']);
      if (text !== this.lastText) console.log(text);
      this.lastText = text;
    }
    this.shown = true;
  }
}

/**
 * Show an HTML fragment (tables), with its tags stripped as the text/plain part.
 * @param text the text/plain part (default: markup without its tags)
 * @throws ArgError when markup or text is not a string
 * @example html('<table><tr><td>conv1</td><td>320</td></tr></table>');
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function html(markup: string, text = ''): void {
  if (typeof markup !== 'string') argError('html', 'markup', 'must be a string', markup);
  if (typeof text !== 'string') argError('html', 'text', 'must be a string', text);
  showAs('html', { 'text/html': markup, 'text/plain': text || markup.replace(/<[^>]+>/g, '') });
}

/**
 * Clear the outputs the running cell has shown so far (Jupyter's clear_output). With `wait`, the
 * client clears only when the next output arrives, so a redrawn figure does not flicker. Outside a
 * kernel (tests, scripts) there is nothing to clear and it does nothing.
 * @param opts.wait default false
 * @throws ArgError when opts has other keys or wait is not a boolean; Error when the kernel cannot clear
 * @example for (const e of epochs) { clearOutput({ wait: true }); console.log(`epoch ${e}`); }
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function clearOutput(opts: { wait?: boolean } = {}): void {
  checkOptionKeys('clearOutput', 'opts', opts, ['wait']);
  const wait = checkBoolean('clearOutput', 'opts.wait', opts.wait ?? false);
  const write = kernelWriter();
  if (!write) return;
  if (typeof write.clear !== 'function') throw new Error("clearOutput: this kernel's display hook cannot clear (start the kernel through kernel/launch.js)");
  write.clear(wait);
}
